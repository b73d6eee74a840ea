using System.Text;
using System.Text.RegularExpressions;
using MiniKube.Etcd.Client;
using MiniKube.Testing;

namespace MiniKube.Cli.Tests.Etcd;

/// <summary>
/// <c>mkctl etcd …</c> against a store process, run in-process. Tests run one at a time and may
/// restart the store; each writes under a prefix of its own, set up with the client library.
/// </summary>
public sealed class EtcdCommandTests(EtcdStoreFixture fixture) : IClassFixture<EtcdStoreFixture>
{
    private Uri Endpoint => fixture.Store.ClientUrl;

    private EtcdClient NewClient() => new(new EtcdClientOptions { Endpoints = [Endpoint] });

    private static string NewPrefix(string name) => $"/{name}/{Guid.NewGuid():N}/";

    [Fact]
    public async Task Get_prints_each_key_with_its_revisions_and_its_value_made_readable_then_a_footer()
    {
        await using var client = NewClient();
        var p = NewPrefix("get");
        var json = await client.PutAsync(p + "pod", """{"kind":"Pod","metadata":{"name":"nginx"}}""");
        var text = await client.PutAsync(p + "text", "hello\nworld");
        var lease = await client.Lease.GrantAsync(60);
        var binary = await client.PutAsync(Google.Protobuf.ByteString.CopyFromUtf8(p + "proto"), Google.Protobuf.ByteString.CopyFrom("k8s\0\n\u0002v1"u8), new PutOptions { Lease = lease.ID });

        var result = await Mkctl.EtcdAsync(Endpoint, "get", p, "--prefix");

        var expected = $"""
            {p}pod  (created {json.Header.Revision}, modified {json.Header.Revision}, version 1)
              {"{"}
                "kind": "Pod",
                "metadata": {"{"}
                  "name": "nginx"
                {"}"}
              {"}"}

            {p}proto  (created {binary.Header.Revision}, modified {binary.Header.Revision}, version 1, lease {lease.ID:x16})
              "k8s\x00\n\x02v1"  (binary, 8 bytes)

            {p}text  (created {text.Header.Revision}, modified {text.Header.Revision}, version 1)
              hello
              world

            revision {binary.Header.Revision}, 3 keys

            """;
        Assert.Equal((0, expected.ReplaceLineEndings("\n")), (result.ExitCode, result.Output.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task Keys_only_prints_one_key_per_line_and_count_only_the_count()
    {
        await using var client = NewClient();
        var p = NewPrefix("keys");
        foreach (var name in new[] { "b", "a", "c" })
        {
            await client.PutAsync(p + name, "value of " + name);
        }

        var keys = await Mkctl.EtcdAsync(Endpoint, "get", p, "--prefix", "--keys-only");
        var count = await Mkctl.EtcdAsync(Endpoint, "get", p, "--prefix", "--count-only", "-w", "simple");

        Assert.Equal($"{p}a\n{p}b\n{p}c\n", keys.Output.ReplaceLineEndings("\n"));
        Assert.Equal("3\n", count.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Get_reads_past_revisions_sorts_and_limits_saying_so_in_the_footer()
    {
        await using var client = NewClient();
        var p = NewPrefix("revs");
        var first = await client.PutAsync(p + "a", "one");
        await client.PutAsync(p + "b", "two");
        var last = await client.PutAsync(p + "a", "three");

        var past = await Mkctl.EtcdAsync(Endpoint, "get", p + "a", "--rev", $"{first.Header.Revision}");
        var limited = await Mkctl.EtcdAsync(Endpoint, "get", p, "--prefix", "--limit", "1", "--keys-only", "-w", "table");
        var sorted = await Mkctl.EtcdAsync(Endpoint, "get", p, "--prefix", "--sort-by", "MODIFY", "--order", "DESCEND", "-w", "simple");

        Assert.Contains($"  one\n\nrevision {last.Header.Revision} (read at revision {first.Header.Revision}), 1 key\n", past.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.EndsWith($"revision {last.Header.Revision}, 1 of 2 keys (more beyond --limit 1)\n", limited.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal($"{p}a\nthree\n{p}b\ntwo\n", sorted.Output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("get", "--prefix")]
    [InlineData("status")]
    [InlineData("members")]
    public async Task Json_output_is_byte_for_byte_what_etcdctl_prints(string command, params string[] flags)
    {
        await using var client = NewClient();
        var p = NewPrefix("json");
        await client.PutAsync(p + "a", "1");
        var lease = await client.Lease.GrantAsync(60);
        await client.PutAsync(p + "b", "{\"x\":2}", new PutOptions { Lease = lease.ID });
        string[] args = command == "get" ? ["get", p, .. flags] : command == "status" ? ["endpoint", "status"] : ["member", "list"];

        var ours = await Mkctl.EtcdAsync(Endpoint, [.. (command == "get" ? args : [command]), "-w", "json"], stdin: null);
        var etcdctl = await ProcessRunner.RunAsync("/usr/bin/etcdctl", [.. args, "-w", "json", "--endpoints", Endpoint.GetLeftPart(UriPartial.Authority)],
            environment: new Dictionary<string, string> { ["ETCDCTL_API"] = "3" });

        Assert.Equal(0, etcdctl.ExitCode);
        // The database's sizes are estimates the store refreshes at most once a second, so two
        // calls a moment apart may read different sizes: they are compared by shape only.
        static string SizeMasked(string json) => Regex.Replace(json, @"""(dbSize|dbSizeInUse)"":\d+", @"""$1"":<size>");
        Assert.Equal(SizeMasked(etcdctl.StandardOutput), SizeMasked(ours.Output.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task Put_takes_the_value_from_stdin_and_prev_kv_shows_what_it_replaced()
    {
        await using var client = NewClient();
        var key = NewPrefix("put") + "k";
        await client.PutAsync(key, "before");

        var put = await Mkctl.EtcdAsync(Endpoint, ["put", key, "--prev-kv"], stdin: Encoding.UTF8.GetBytes("from stdin\n"));

        var stored = (await client.GetAsync(key)).Kvs[0];
        Assert.Equal("from stdin\n", stored.Value.ToStringUtf8());
        Assert.Equal($"OK (revision {stored.ModRevision})\nwas:\n{key}  (created {stored.CreateRevision}, modified {stored.CreateRevision}, version 1)\n  before\n", put.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Del_removes_a_prefix_and_prints_the_deleted_pairs()
    {
        await using var client = NewClient();
        var p = NewPrefix("del");
        await client.PutAsync(p + "a", "1");
        await client.PutAsync(p + "b", "2");

        var deleted = await Mkctl.EtcdAsync(Endpoint, "del", p, "--prefix", "--prev-kv");

        var text = deleted.Output.ReplaceLineEndings("\n");
        Assert.StartsWith("2 deleted (revision ", text, StringComparison.Ordinal);
        Assert.Contains($"\n{p}a  (created ", text, StringComparison.Ordinal);
        Assert.Contains($", version 1)\n  1\n{p}b  (created ", text, StringComparison.Ordinal);
        Assert.EndsWith(", version 1)\n  2\n", text, StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetAsync(p, new GetOptions { Prefix = true, CountOnly = true })).Count);
    }

    [Fact]
    public async Task Watch_prints_each_event_and_carries_on_after_the_store_is_killed_and_restarted()
    {
        await using var client = NewClient();
        var p = NewPrefix("watch");
        var start = (await client.PutAsync(p + "a", "1")).Header.Revision;
        var output = new Mkctl.SharedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = Mkctl.EtcdAsync(Endpoint, ["watch", p, "--prefix", "--rev", $"{start}", "--prev-kv"], stdin: null, output, stop.Token);

        await WaitForAsync(output, $"PUT {p}a  (revision {start}, created, version 1)\n  1\n");
        await client.DeleteAsync(p + "a");
        await fixture.Store.KillAndRestartAsync();
        var after = await client.PutAsync(p + "b", "after restart");
        await WaitForAsync(output, $"PUT {p}b  (revision {after.Header.Revision}, created, version 1)\n  after restart\n");
        await stop.CancelAsync();
        var result = await watch;

        var text = output.ToString().ReplaceLineEndings("\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $"PUT {p}a  (revision {start}, created, version 1)\n  1\nDELETE {p}a  (revision {start + 1})\n  was (revision {start}): 1\nPUT {p}b  (revision {after.Header.Revision}, created, version 1)\n  after restart\n",
            text);
    }

    [Fact]
    public async Task Status_shows_the_member_version_revisions_raft_position_and_size()
    {
        await using var client = NewClient();
        var revision = (await client.PutAsync(NewPrefix("status") + "k", "v")).Header.Revision;

        var status = await Mkctl.EtcdAsync(Endpoint, "status");

        var lines = status.Output.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(Endpoint.GetLeftPart(UriPartial.Authority), lines[0]);
        Assert.Matches("^  member      [0-9a-f]+ \\(leader\\)$", lines[1]);
        Assert.Equal("  version     3.4.0-minikube", lines[2]);
        Assert.StartsWith($"  revision    {revision}, ", lines[3], StringComparison.Ordinal);
        Assert.Matches("^  raft        term [0-9]+, index [0-9]+, applied [0-9]+$", lines[4]);
        Assert.Matches("^  db size     [0-9.]+ [kMG]?B \\([0-9.]+ [kMG]?B in use\\)$", lines[5]);
    }

    [Fact]
    public async Task Compact_then_reading_below_it_fails_with_etcds_error()
    {
        await using var client = NewClient();
        var key = NewPrefix("compact") + "k";
        var old = await client.PutAsync(key, "old");
        var current = await client.PutAsync(key, "new");

        var compact = await Mkctl.EtcdAsync(Endpoint, "compact", $"{current.Header.Revision}");
        var below = await Mkctl.EtcdAsync(Endpoint, "get", key, "--rev", $"{old.Header.Revision}");

        Assert.Equal($"compacted revision {current.Header.Revision}\n", compact.Output.ReplaceLineEndings("\n"));
        Assert.Equal((1, "Error: etcdserver: mvcc: required revision has been compacted\n"), (below.ExitCode, below.Error.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task Leases_are_granted_inspected_listed_and_revoked_with_etcdctls_words()
    {
        await using var client = NewClient();
        var key = NewPrefix("lease") + "event";

        var grant = await Mkctl.EtcdAsync(Endpoint, "lease", "grant", "60");
        var id = grant.Output.Split(' ')[1];
        await Mkctl.EtcdAsync(Endpoint, "put", key, "v", "--lease", id);
        var ttl = await Mkctl.EtcdAsync(Endpoint, "lease", "timetolive", id, "--keys");
        var list = await Mkctl.EtcdAsync(Endpoint, "lease", "list");
        var once = await Mkctl.EtcdAsync(Endpoint, "lease", "keep-alive", id, "--once");
        var revoke = await Mkctl.EtcdAsync(Endpoint, "lease", "revoke", id);
        var gone = await Mkctl.EtcdAsync(Endpoint, "lease", "timetolive", id);

        Assert.Matches("^lease [0-9a-f]{16} granted with TTL\\(60s\\)\n$", grant.Output.ReplaceLineEndings("\n"));
        Assert.Matches($"^lease {id} granted with TTL\\(60s\\), remaining\\([0-9]+s\\), attached keys\\(\\[{key}\\]\\)\n$", ttl.Output.ReplaceLineEndings("\n"));
        Assert.Contains($"\n{id}\n", list.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal($"lease {id} keepalived with TTL(60)\n", once.Output.ReplaceLineEndings("\n"));
        Assert.Equal($"lease {id} revoked\n", revoke.Output.ReplaceLineEndings("\n"));
        Assert.Equal($"lease {id} already expired\n", gone.Output.ReplaceLineEndings("\n"));
        Assert.Empty((await client.GetAsync(key)).Kvs);
    }

    [Theory]
    [InlineData("etcdserver: key is not provided", 1, "get", "")]
    [InlineData("etcdserver: requested lease not found", 1, "put", "/k", "v", "--lease", "7e57")]
    [InlineData("bad lease ID \"xyz\", expecting an ID in hex (as `lease grant` prints it)", 3, "put", "/k", "v", "--lease", "xyz")]
    [InlineData("`--prefix` and `range_end` cannot be set at the same time, choose one.", 3, "get", "/a", "/b", "--prefix")]
    [InlineData("this command does not print table (it prints readable, simple, json)", 3, "put", "/k", "v", "-w", "table")]
    public async Task Errors_read_like_etcdctls_and_exit_non_zero(string message, int exitCode, params string[] args)
    {
        var result = await Mkctl.EtcdAsync(Endpoint, args);

        Assert.Equal((exitCode, $"Error: {message}\n"), (result.ExitCode, result.Error.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_named_in_the_error()
    {
        var nobody = new Uri($"http://127.0.0.1:{FreePort.Pick()}");

        var result = await Mkctl.EtcdAsync(nobody, "get", "/k", "--dial-timeout", "300ms");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"Error: etcdclient: endpoint http://127.0.0.1:{nobody.Port} unavailable: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("is a store running? start one with: ./mkctl store", result.Error, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Mkctl.SharedWriter output, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!output.ToString().ReplaceLineEndings("\n").Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the watch did not print\n{text}\nit printed\n{output}");
            }

            await Task.Delay(50);
        }
    }
}
