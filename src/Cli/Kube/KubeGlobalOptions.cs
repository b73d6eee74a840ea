using System.CommandLine;

namespace MiniKube.Cli.Kube;

/// <summary>The flags every kubectl-style verb takes, named as kubectl's.</summary>
public sealed class KubeGlobalOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Path to the kubeconfig file to use for CLI requests." };

    public Option<string?> Context { get; } = new("--context") { Description = "The name of the kubeconfig context to use." };

    public Option<string?> Namespace { get; } = new("--namespace", "-n") { Description = "If present, the namespace scope for this CLI request." };

    public void AddTo(Command command)
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
        command.Options.Add(Namespace);
    }
}
