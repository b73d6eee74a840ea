using System.CommandLine;
using MiniKube.Cli.Etcd.Output;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd members</c>: the cluster's members (etcdctl member list).</summary>
public static class MembersCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var command = new Command("members", "Lists all members in the cluster.");
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var format = session.FormatOr(OutputFormat.Table, OutputFormat.Simple, OutputFormat.Json, OutputFormat.Readable);
            var response = await session.Client.Cluster.MemberListAsync(ct).ConfigureAwait(false);
            var output = session.Output;
            if (format == OutputFormat.Json)
            {
                await output.WriteLineAsync(GoJson.Serialize(response)).ConfigureAwait(false);
                return 0;
            }

            var table = new TextTable("ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER");
            foreach (var member in response.Members)
            {
                string[] row =
                [
                    KeyValuePrinter.MemberId(member.ID), member.Name.Length == 0 ? "unstarted" : "started", member.Name,
                    string.Join(",", member.PeerURLs), string.Join(",", member.ClientURLs), member.IsLearner ? "true" : "false",
                ];
                if (format is OutputFormat.Simple or OutputFormat.Readable)
                {
                    await output.WriteLineAsync(string.Join(", ", row)).ConfigureAwait(false);
                }
                else
                {
                    table.Add(row);
                }
            }

            if (format == OutputFormat.Table)
            {
                await output.WriteLineAsync(table.ToString()).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken));
        return command;
    }
}
