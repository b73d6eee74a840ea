using System.CommandLine;

namespace MiniKube.Cli.Kube;

/// <summary>mkctl's kubectl-style verbs over the apiserver.</summary>
public static class KubeCommands
{
    /// <summary>The verbs; <paramref name="stdin"/> reads <c>-f -</c> (the console's stdin by default).</summary>
    public static IReadOnlyList<Command> Create(Func<TextReader>? stdin = null)
    {
        var global = new KubeGlobalOptions();
        stdin ??= () => Console.In;
        Command[] commands =
        [
            ApplyVerb.Create(global, stdin),
            GetVerb.Create(global),
            DescribeVerb.Create(global),
            DeleteVerb.Create(global, stdin),
            ScaleVerb.Create(global),
            CreateVerb.Create(global),
            RolloutVerb.Create(global),
            LogsVerb.Create(global),
        ];
        foreach (var command in commands)
        {
            global.AddTo(command);
            foreach (var sub in command.Subcommands)
            {
                global.AddTo(sub);
            }
        }

        return commands;
    }
}
