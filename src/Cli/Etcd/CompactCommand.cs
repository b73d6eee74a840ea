using System.CommandLine;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd compact REV</c>: discards the history before a revision.</summary>
public static class CompactCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var revision = new Argument<long>("revision") { Description = "Keep the history from this revision on; older versions become unreadable." };
        var physical = new Option<bool>("--physical") { Description = "Wait until the compaction has physically removed the old versions." };

        var command = new Command("compact", "Compacts the event history in the store.") { revision, physical };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var rev = parse.GetValue(revision);
            await session.Client.CompactAsync(rev, parse.GetValue(physical), ct).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"compacted revision {rev}").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }
}
