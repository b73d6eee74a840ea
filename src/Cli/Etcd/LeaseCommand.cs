using System.CommandLine;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary><c>mkctl etcd lease grant|revoke|timetolive|list|keep-alive</c>, worded as etcdctl's.</summary>
public static class LeaseCommand
{
    public static Command Create(EtcdGlobalOptions global)
    {
        var command = new Command("lease", "Lease related commands.");
        command.Subcommands.Add(Grant(global));
        command.Subcommands.Add(Revoke(global));
        command.Subcommands.Add(TimeToLive(global));
        command.Subcommands.Add(List(global));
        command.Subcommands.Add(KeepAlive(global));
        return command;
    }

    private static Command Grant(EtcdGlobalOptions global)
    {
        var ttl = new Argument<long>("ttl") { Description = "Time to live, in seconds." };
        var command = new Command("grant", "Creates leases.") { ttl };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var response = await session.Client.Lease.GrantAsync(parse.GetValue(ttl), cancellationToken: ct).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"lease {KeyValuePrinter.LeaseId(response.ID)} granted with TTL({response.TTL}s)").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Revoke(EtcdGlobalOptions global)
    {
        var id = new Argument<string>("lease-id") { Description = "The lease ID, in hex." };
        var command = new Command("revoke", "Revokes leases (and deletes their keys).") { id };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var lease = Keys.LeaseId(parse.GetValue(id)!);
            await session.Client.Lease.RevokeAsync(lease, ct).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"lease {KeyValuePrinter.LeaseId(lease)} revoked").ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command TimeToLive(EtcdGlobalOptions global)
    {
        var id = new Argument<string>("lease-id") { Description = "The lease ID, in hex." };
        var keys = new Option<bool>("--keys") { Description = "Get keys attached to this lease." };
        var command = new Command("timetolive", "Gets lease information.") { id, keys };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var lease = Keys.LeaseId(parse.GetValue(id)!);
            var response = await session.Client.Lease.TimeToLiveAsync(lease, parse.GetValue(keys), ct).ConfigureAwait(false);
            var text = response.TTL == -1
                ? $"lease {KeyValuePrinter.LeaseId(lease)} already expired"
                : $"lease {KeyValuePrinter.LeaseId(lease)} granted with TTL({response.GrantedTTL}s), remaining({response.TTL}s)"
                    + (parse.GetValue(keys) ? $", attached keys([{string.Join(" ", response.Keys.Select(ValueText.Key))}])" : "");
            await session.Output.WriteLineAsync(text).ConfigureAwait(false);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command List(EtcdGlobalOptions global)
    {
        var command = new Command("list", "Lists all active leases.");
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var response = await session.Client.Lease.LeasesAsync(ct).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"found {response.Leases.Count} leases").ConfigureAwait(false);
            foreach (var lease in response.Leases)
            {
                await session.Output.WriteLineAsync(KeyValuePrinter.LeaseId(lease.ID)).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command KeepAlive(EtcdGlobalOptions global)
    {
        var id = new Argument<string>("lease-id") { Description = "The lease ID, in hex." };
        var once = new Option<bool>("--once") { Description = "Resets the keep-alive time to its original value and exits immediately." };
        var command = new Command("keep-alive", "Keeps leases alive (renews them) until Ctrl+C.") { id, once };
        command.SetAction((parse, cancellationToken) => EtcdSession.RunAsync(parse, global, async (session, ct) =>
        {
            var lease = Keys.LeaseId(parse.GetValue(id)!);
            var name = KeyValuePrinter.LeaseId(lease);
            if (parse.GetValue(once))
            {
                var response = await session.Client.Lease.KeepAliveOnceAsync(lease, ct).ConfigureAwait(false);
                await session.Output.WriteLineAsync($"lease {name} keepalived with TTL({response.TTL})").ConfigureAwait(false);
                return 0;
            }

            await using var keepAlive = await session.Client.Lease.KeepAliveAsync(lease, ct).ConfigureAwait(false);
            var renewed = DateTimeOffset.MinValue;
            while (true)
            {
                if (keepAlive.ExpiresAt != renewed)
                {
                    renewed = keepAlive.ExpiresAt;
                    await session.Output.WriteLineAsync($"lease {name} keepalived with TTL({keepAlive.Ttl})").ConfigureAwait(false);
                    await session.Output.FlushAsync(ct).ConfigureAwait(false);
                }

                try
                {
                    await keepAlive.Completion.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, keepAlive.Ttl / 3.0)), ct).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    continue;
                }
                catch (EtcdLeaseExpiredException)
                {
                    await session.Output.WriteLineAsync($"lease {name} expired or revoked.").ConfigureAwait(false);
                    return 0;
                }
            }
        }, cancellationToken));
        return command;
    }
}
