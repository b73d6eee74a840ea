using System.CommandLine;

namespace MiniKube.Scheduler;

/// <summary><c>mkctl scheduler</c>: Run the scheduler in the foreground.</summary>
public static class SchedulerCommand
{
    public static Command Create()
    {
        var command = new Command("scheduler", "Run the scheduler in the foreground.");
        command.SetAction(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("Error: scheduler is not built yet").ConfigureAwait(false);
            return 1;
        });
        return command;
    }
}
