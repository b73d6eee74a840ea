using MiniKube.Api.Resources;
using MiniKube.Client;
using MiniKube.Client.Config;

namespace MiniKube.Cli.Cluster;

/// <summary>
/// Which controller-manager and which scheduler of the local cluster holds its kube-system Lease. The lease names its
/// holder by identity (hostname_uuid, new at every start), not by pid; each process prints that identity when it
/// starts ("controller-manager ID against …", "scheduler ID starting …"), and its log is appended to across restarts,
/// so the last such line of a component's log names the process that runs now.
/// </summary>
public static class LeaseHolders
{
    public const string LeaseNamespace = "kube-system";

    /// <summary>kube-controller-manager's and kube-scheduler's lease names.</summary>
    public static string LeaseName(string kind) => kind switch
    {
        ClusterState.ControllerManagerKind => "kube-controller-manager",
        ClusterState.SchedulerKind => "kube-scheduler",
        _ => throw new ArgumentException($"a {kind} takes no lease", nameof(kind)),
    };

    /// <summary>The identity the component's current process printed when it started, or null if it has not yet.</summary>
    public static string? IdentityFromLog(string logPath, string kind)
    {
        if (!File.Exists(logPath))
        {
            return null;
        }

        string? identity = null;
        var prefix = kind + " ";
        using var reader = new StreamReader(new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal)
                && line[prefix.Length..].Split(' ')[0] is var candidate
                && candidate.LastIndexOf('_') is var separator and > 0
                && Guid.TryParse(candidate[(separator + 1)..], out _))
            {
                identity = candidate;
            }
        }

        return identity;
    }

    /// <summary>spec.holderIdentity of the kind's lease; null when there is none yet or the apiserver does not answer.</summary>
    public static async Task<string?> HolderIdentityAsync(Uri server, string kind, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new KubeClient(new ClientConfig { Server = server, RequestTimeout = TimeSpan.FromSeconds(5) });
            var lease = await client.GetAsync(ApiResources.Leases, LeaseNamespace, LeaseName(kind), cancellationToken: cancellationToken).ConfigureAwait(false);
            return (string?)lease["spec"]?["holderIdentity"];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or KubeApiException)
        {
            return null;
        }
    }

    /// <summary>The component of <paramref name="kind"/> whose current process holds the lease, or null.</summary>
    public static async Task<ComponentState?> HolderAsync(ClusterState state, ClusterDirectory dir, string kind, CancellationToken cancellationToken)
    {
        var holder = await HolderIdentityAsync(state.ApiServerUrl, kind, cancellationToken).ConfigureAwait(false);
        return holder is null ? null : state.Components.FirstOrDefault(c => c.Kind == kind && IdentityFromLog(dir.LogPath(c.Name), kind) == holder);
    }
}
