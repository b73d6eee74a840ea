using System.CommandLine;
using MiniKube.Cli.Cluster;

namespace MiniKube.Cli.Kube;

/// <summary>The flags every kubectl-style verb takes, named as kubectl's.</summary>
public sealed class KubeGlobalOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Path to the kubeconfig file to use for CLI requests." };

    public Option<string?> Context { get; } = new("--context") { Description = "The name of the kubeconfig context to use." };

    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "If present, the namespace scope for this CLI request." };

    /// <summary>The local cluster (see mkctl up) whose kubeconfig is used when neither --kubeconfig nor KUBECONFIG names one.</summary>
    public Option<string?> Dir { get; } = ClusterCommands.DirOption();

    /// <summary>--kubeconfig if given; else the local cluster's kubeconfig when --dir is given, or when KUBECONFIG is unset
    /// and .mk/kubeconfig exists in the working directory; else null (kubectl's KUBECONFIG and ~/.kube/config).</summary>
    public string? KubeconfigPath(ParseResult parse)
    {
        if (parse.GetValue(Kubeconfig) is { Length: > 0 } path)
        {
            return path;
        }

        var explicitDir = parse.GetValue(Dir);
        if (!string.IsNullOrEmpty(explicitDir))
        {
            var dir = ClusterDirectory.Find(explicitDir);
            return File.Exists(dir.KubeconfigPath) ? dir.KubeconfigPath : throw new KubeCommandException($"no cluster in {dir.Root} (start one with: ./mkctl up --dir {explicitDir})");
        }

        var local = ClusterDirectory.Find(null).KubeconfigPath;
        return string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG")) && File.Exists(local) ? local : null;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Dir);
        command.Options.Add(Context);
        command.Options.Add(Namespace);
    }
}
