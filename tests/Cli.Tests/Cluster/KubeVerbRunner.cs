using System.CommandLine;
using MiniKube.Cli.Kube;
using MiniKube.Cli.Tests.Etcd;

namespace MiniKube.Cli.Tests.Cluster;

/// <summary>Runs mkctl's kubectl-style verbs in-process with captured output.</summary>
public static class KubeVerbRunner
{
    public static async Task<CommandResult> RunAsync(string kubeconfig, params string[] args)
    {
        var root = new RootCommand();
        foreach (var verb in KubeCommands.Create(() => new StringReader("")))
        {
            root.Subcommands.Add(verb);
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await root.Parse([.. args, "--kubeconfig", kubeconfig]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new CommandResult(exit, stdout.ToString(), stderr.ToString());
    }
}
