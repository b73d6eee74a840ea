using System.CommandLine;
using MiniKube.Cli.Kube;

namespace MiniKube.Client.Tests.Cli;

/// <summary>What a command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}

/// <summary>Runs mkctl's kubectl-style verbs in-process with captured output.</summary>
public static class Mkctl
{
    public static async Task<CommandResult> RunAsync(string kubeconfig, string[] args, string? stdin = null)
    {
        var root = new RootCommand();
        foreach (var verb in KubeCommands.Create(() => new StringReader(stdin ?? "")))
        {
            root.Subcommands.Add(verb);
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await root.Parse([.. args, "--kubeconfig", kubeconfig])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new CommandResult(exit, stdout.ToString(), stderr.ToString());
    }
}
