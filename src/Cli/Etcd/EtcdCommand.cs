using System.CommandLine;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd …</c>: the teaching twin of etcdctl. (Subcommands arrive with the client library.)</summary>
public static class EtcdCommand
{
    public static Command Create() => new("etcd", "Inspect and change the store's keys, revisions and members (like etcdctl).");
}
