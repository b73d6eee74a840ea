using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Admission;

/// <summary>
/// kube-apiserver's DefaultTolerationSeconds admission plugin: a new pod that does not already tolerate the
/// node.kubernetes.io/not-ready or node.kubernetes.io/unreachable NoExecute taints gets a toleration for each,
/// for --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds (300 s each), so its
/// pods leave a failed node after five minutes instead of at once.
/// </summary>
public static class DefaultTolerationSeconds
{
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const long DefaultSeconds = 300;

    private static long _notReadySeconds = DefaultSeconds;
    private static long _unreachableSeconds = DefaultSeconds;

    /// <summary>Set once by the apiserver command from its flags: one apiserver runs per process there.</summary>
    public static void Configure(long notReadySeconds, long unreachableSeconds)
    {
        Interlocked.Exchange(ref _notReadySeconds, notReadySeconds);
        Interlocked.Exchange(ref _unreachableSeconds, unreachableSeconds);
    }

    public static void Admit(JsonObject pod) => Admit(pod, Interlocked.Read(ref _notReadySeconds), Interlocked.Read(ref _unreachableSeconds));

    public static void Admit(JsonObject pod, long notReadySeconds, long unreachableSeconds)
    {
        if (pod["spec"] is not JsonObject spec)
        {
            return;
        }

        var tolerations = spec["tolerations"] as JsonArray;
        bool Tolerates(string key) => (tolerations ?? []).OfType<JsonObject>().Any(t =>
            ((string?)t["key"] is var k && (string.IsNullOrEmpty(k) || k == key))
            && ((string?)t["effect"] is var e && (string.IsNullOrEmpty(e) || e == "NoExecute")));
        var addNotReady = !Tolerates(NotReadyTaint);
        var addUnreachable = !Tolerates(UnreachableTaint);
        if (!addNotReady && !addUnreachable)
        {
            return;
        }

        if (tolerations is null)
        {
            tolerations = [];
            spec["tolerations"] = tolerations;
        }

        if (addNotReady)
        {
            tolerations.Add(Toleration(NotReadyTaint, notReadySeconds));
        }

        if (addUnreachable)
        {
            tolerations.Add(Toleration(UnreachableTaint, unreachableSeconds));
        }
    }

    private static JsonObject Toleration(string key, long seconds) => new()
    {
        ["key"] = key,
        ["operator"] = "Exists",
        ["effect"] = "NoExecute",
        ["tolerationSeconds"] = seconds,
    };
}
