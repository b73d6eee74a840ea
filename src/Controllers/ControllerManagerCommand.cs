using System.CommandLine;

namespace MiniKube.Controllers;

/// <summary><c>mkctl controller-manager</c>: Run the controllers (deployment, replicaset, garbage collector, node lifecycle) in the foreground.</summary>
public static class ControllerManagerCommand
{
    public static Command Create()
    {
        var command = new Command("controller-manager", "Run the controllers (deployment, replicaset, garbage collector, node lifecycle) in the foreground.");
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("Error: controller-manager is not built yet").ConfigureAwait(false);
            return 1;
        });
        return command;
    }
}
