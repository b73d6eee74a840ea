using System.CommandLine;

namespace MiniKube.NodeAgent;

/// <summary><c>mkctl node-agent</c>: Run simulated nodes (a kubelet each) in the foreground.</summary>
public static class NodeAgentCommand
{
    public static Command Create()
    {
        var command = new Command("node-agent", "Run simulated nodes (a kubelet each) in the foreground.");
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("Error: node-agent is not built yet").ConfigureAwait(false);
            return 1;
        });
        return command;
    }
}
