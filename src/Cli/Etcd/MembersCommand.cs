using System.CommandLine;
using System.Globalization;
using MiniKube.Cli.Etcd.Output;

namespace MiniKube.Cli.Etcd;

/// <summary>
/// <c>mkctl etcd member list|add|remove|update|promote</c>, worded as etcdctl 3.4's, and
/// <c>mkctl etcd members</c>, the list alone.
/// </summary>
public static class MembersCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var command = new Command("members", "Lists all members in the cluster.");
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, ListAsync, cancellationToken));
        return command;
    }

    /// <summary><c>mkctl etcd member …</c>: etcdctl's member commands.</summary>
    public static Command CreateMember(EtcdGlobalOptions global)
    {
        var command = new Command("member", "Membership related commands.");
        var list = new Command("list", "Lists all members in the cluster.");
        list.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, ListAsync, cancellationToken));
        command.Subcommands.Add(list);
        command.Subcommands.Add(Add(global));
        command.Subcommands.Add(Remove(global));
        command.Subcommands.Add(Update(global));
        command.Subcommands.Add(Promote(global));
        return command;
    }

    private static Command Add(EtcdGlobalOptions global)
    {
        var name = new Argument<string>("name") { Description = "The new member's name." };
        var peerUrls = new Option<string>("--peer-urls") { Description = "comma separated peer URLs for the new member." };
        var learner = new Option<bool>("--learner") { Description = "indicates if the new member is raft learner" };
        var command = new Command("add", "Adds a member into the cluster.") { name, peerUrls, learner };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var urls = (parse.GetValue(peerUrls) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (urls.Length == 0)
            {
                throw new ArgumentException("member peer urls not provided");
            }

            var response = await session.Client.Cluster.MemberAddAsync(urls, parse.GetValue(learner), ct).ConfigureAwait(false);
            var newName = parse.GetValue(name)!;
            var output = session.Output;
            await output.WriteLineAsync($"Member {Id(response.Member.ID)} added to cluster {Id(response.Header.ClusterId)}").ConfigureAwait(false);
            // etcdctl's environment for starting the new member: every member's peer URLs under their names.
            var initialCluster = response.Members.SelectMany(m => m.PeerURLs.Select(u => $"{(m.ID == response.Member.ID ? newName : m.Name)}={u}"));
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"ETCD_NAME=\"{newName}\"").ConfigureAwait(false);
            await output.WriteLineAsync($"ETCD_INITIAL_CLUSTER=\"{string.Join(",", initialCluster)}\"").ConfigureAwait(false);
            await output.WriteLineAsync($"ETCD_INITIAL_ADVERTISE_PEER_URLS=\"{string.Join(",", response.Member.PeerURLs)}\"").ConfigureAwait(false);
            await output.WriteLineAsync("ETCD_INITIAL_CLUSTER_STATE=\"existing\"").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Remove(EtcdGlobalOptions global)
    {
        var id = new Argument<string>("memberID") { Description = "The member's ID, in hex." };
        var command = new Command("remove", "Removes a member from the cluster.") { id };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var member = ParseId(parse.GetValue(id)!);
            var response = await session.Client.Cluster.MemberRemoveAsync(member, ct).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"Member {Id(member)} removed from cluster {Id(response.Header.ClusterId)}").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Update(EtcdGlobalOptions global)
    {
        var id = new Argument<string>("memberID") { Description = "The member's ID, in hex." };
        var peerUrls = new Option<string>("--peer-urls") { Description = "comma separated peer URLs for the updated member." };
        var command = new Command("update", "Updates a member in the cluster.") { id, peerUrls };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var member = ParseId(parse.GetValue(id)!);
            var urls = (parse.GetValue(peerUrls) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (urls.Length == 0)
            {
                throw new ArgumentException("member peer urls not provided");
            }

            var response = await session.Client.Cluster.MemberUpdateAsync(member, urls, ct).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"Member {Id(member)} updated in cluster {Id(response.Header.ClusterId)}").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Promote(EtcdGlobalOptions global)
    {
        var id = new Argument<string>("memberID") { Description = "The learner's ID, in hex." };
        var command = new Command("promote", "Promotes a non-voting member in the cluster.") { id };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var member = ParseId(parse.GetValue(id)!);
            var response = await session.Client.Cluster.MemberPromoteAsync(member, ct).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"Member {Id(member)} promoted in cluster {Id(response.Header.ClusterId)}").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(EtcdSession session, CancellationToken ct)
    {
        var format = session.FormatOr(OutputFormat.Table, OutputFormat.Simple, OutputFormat.Json, OutputFormat.Readable);
        var response = await session.Client.Cluster.MemberListAsync(ct).ConfigureAwait(false);
        var output = session.Output;
        if (format == OutputFormat.Json)
        {
            await output.WriteLineAsync(GoJson.Serialize(response)).ConfigureAwait(false);
            return 0;
        }

        var table = new TextTable("ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER") { AlignRight = true };
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
    }

    /// <summary>etcdctl prints these IDs with %16x: right-aligned in 16 columns, padded with spaces.</summary>
    private static string Id(ulong id) => id.ToString("x", CultureInfo.InvariantCulture).PadLeft(16);

    private static ulong ParseId(string text) =>
        ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new ArgumentException($"bad member ID arg (strconv.ParseUint: parsing \"{text}\": invalid syntax), expecting ID in Hex");
}
