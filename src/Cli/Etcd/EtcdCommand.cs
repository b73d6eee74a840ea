using System.CommandLine;

namespace MiniKube.Cli.Etcd;

/// <summary>
/// <c>mkctl etcd …</c>: the teaching twin of etcdctl. The same verbs and flags, and the same
/// words where etcdctl has them, but values pretty-printed and revisions shown by default.
/// </summary>
public static class EtcdCommand
{
    /// <param name="standardInput">Where <c>put</c> reads a value given on stdin (tests substitute their own).</param>
    public static Command Create(Func<Stream>? standardInput = null)
    {
        var global = new EtcdGlobalOptions();
        var command = new Command("etcd", "Inspect and change the store's keys, revisions and members (like etcdctl).");
        global.AddTo(command);
        command.Subcommands.Add(GetCommand.Create(global));
        command.Subcommands.Add(PutCommand.Create(global, standardInput ?? Console.OpenStandardInput));
        command.Subcommands.Add(DelCommand.Create(global));
        command.Subcommands.Add(WatchCommand.Create(global));
        command.Subcommands.Add(StatusCommand.Create(global));
        command.Subcommands.Add(MembersCommand.Create(global));
        command.Subcommands.Add(MembersCommand.CreateMember(global));
        command.Subcommands.Add(CompactCommand.Create(global));
        command.Subcommands.Add(LeaseCommand.Create(global));
        command.Subcommands.Add(SnapshotCommand.Create(global));
        return command;
    }
}
