using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Client;

namespace MiniKube.EndToEnd.Tests;

/// <summary>Polling, pod queries and manifests shared by the end-to-end tests.</summary>
public static class E2e
{
    public static async Task WaitAsync(Func<Task<bool>> condition, Func<Task<string>> describe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0}s: {await describe()}");
            }

            await Task.Delay(250);
        }
    }

    public static async Task<List<JsonObject>> PodsAsync(KubeClient client, string ns, string selector)
    {
        var list = await client.ListAsync(ApiResources.Pods, ns, new ListOptions { LabelSelector = selector });
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    public static bool Terminating(JsonObject pod) => pod["metadata"]?["deletionTimestamp"] is not null;

    public static string Phase(JsonObject pod) => (string?)pod["status"]?["phase"] ?? "";

    public static string? NodeName(JsonObject pod) => (string?)pod["spec"]?["nodeName"];

    public static bool Ready(JsonObject pod) => Condition(pod, "Ready") is { } c && (string?)c["status"] == "True";

    public static JsonObject? Condition(JsonObject pod, string type) =>
        (pod["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    public static string Summary(IEnumerable<JsonObject> pods) =>
        string.Join("; ", pods.Select(p => $"{p["metadata"]?["name"]} {Phase(p)} on {NodeName(p) ?? "-"}{(Terminating(p) ? " terminating" : "")}"));

    /// <summary>All <paramref name="count"/> live pods of the selector Running and Ready on a node.</summary>
    public static async Task<List<JsonObject>> WaitRunningAsync(KubeClient client, string ns, string selector, int count, TimeSpan? timeout = null, Func<JsonObject, bool>? where = null)
    {
        List<JsonObject> live = [];
        await WaitAsync(
            async () =>
            {
                live = [.. (await PodsAsync(client, ns, selector)).Where(p => !Terminating(p))];
                return live.Count == count && live.All(p => Phase(p) == "Running" && Ready(p) && NodeName(p) is not null && (where?.Invoke(p) ?? true));
            },
            async () => $"{count} pods {selector} Running in {ns}; there are: {Summary(await PodsAsync(client, ns, selector))}",
            timeout ?? TimeSpan.FromSeconds(90));
        return live;
    }

    public static string Deployment(string name, int replicas, string image, string extraSpec = "", string extraPodSpec = "", string resources = "cpu: 10m") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          replicas: {replicas}
        {extraSpec}  selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
        {extraPodSpec}      containers:
              - name: main
                image: {image}
                resources:
                  requests:
                    {resources}
        """;

    public static string WriteManifest(string dir, string yaml)
    {
        var path = Path.Combine(dir, $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
