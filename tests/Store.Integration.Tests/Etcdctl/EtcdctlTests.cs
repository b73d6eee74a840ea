using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using MiniKube.Store.Integration.Tests.Infrastructure;
using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.Etcdctl;

/// <summary>
/// The real etcdctl 3.4 against the store, and the same commands against a real etcd: the
/// transcripts must read the same once what legitimately differs (URLs, IDs, sizes, hashes,
/// timings) is masked. Revisions are not masked: both servers start fresh and see the same writes.
/// </summary>
public sealed class EtcdctlTests(EtcdctlFixture servers) : IClassFixture<EtcdctlFixture>
{
    private static string Prefix([CallerMemberName] string test = "") => Bytes.UniquePrefix("etcdctl/" + test);

    /// <summary>Runs the scenario on both servers and asserts their transcripts match; returns etcd's.</summary>
    private async Task<string> SameOnBothAsync(Func<EtcdctlTranscript, Task> scenario)
    {
        var (etcd, store) = await servers.BothAsync(scenario);
        if (etcd != store)
        {
            var etcdLines = etcd.Split('\n');
            var storeLines = store.Split('\n');
            var first = Enumerable.Range(0, Math.Min(etcdLines.Length, storeLines.Length)).FirstOrDefault(i => etcdLines[i] != storeLines[i], Math.Min(etcdLines.Length, storeLines.Length));
            string Around(string[] lines) => string.Join('\n', lines.Skip(Math.Max(0, first - 6)).Take(10));
            Assert.Fail($"the transcripts differ at line {first + 1}\n--- etcd\n{Around(etcdLines)}\n--- store\n{Around(storeLines)}\n--- whole etcd transcript\n{etcd}");
        }

        return etcd;
    }

    [Fact]
    public async Task Put_and_get_with_prefix_keys_only_limit_revision_sort_and_json_print_the_same()
    {
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            await ctl.RunAsync("put", p + "b", "2");
            var first = Revision(await ctl.RunAsync("get", p + "b", "-w", "json"));
            await ctl.RunAsync("put", p + "a", "3");
            await ctl.RunAsync("put", p + "c", "1");
            await ctl.RunAsync("put", p + "b", "22", "--prev-kv");
            await ctl.RunAsync("get", p + "b");
            await ctl.RunAsync("get", p + "b", "--rev", first.ToString(CultureInfo.InvariantCulture));
            await ctl.RunAsync("get", p, "--prefix");
            await ctl.RunAsync("get", p, "--prefix", "-w", "json");
            await ctl.RunAsync("get", p, "--prefix", "--keys-only");
            await ctl.RunAsync("get", p, "--prefix", "--print-value-only");
            await ctl.RunAsync("get", p, "--prefix", "--limit", "2", "-w", "json");
            await ctl.RunAsync("get", p + "a", p + "c");
            await ctl.RunAsync("get", p + "b", "--from-key", "--limit", "2");
            await ctl.RunAsync("get", p, "--prefix", "--rev", first.ToString(CultureInfo.InvariantCulture), "-w", "json");
            foreach (var sort in new[] { "KEY", "CREATE", "MODIFY", "VALUE", "VERSION" })
            {
                await ctl.RunAsync("get", p, "--prefix", "--sort-by", sort);
                await ctl.RunAsync("get", p, "--prefix", "--sort-by", sort, "--order", "DESCEND", "--limit", "2");
            }

            await ctl.RunAsync("get", p, "--prefix", "--order", "DESCEND", "-w", "json");
            await ctl.RunAsync("get", p + "missing");
            await ctl.RunAsync("get", p + "missing", "-w", "json");
        });

        Assert.Contains($"{p}b\n22\n", transcript, StringComparison.Ordinal);
        Assert.Contains("\"more\":true", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_ignoring_value_or_lease_and_serializable_get_print_the_same()
    {
        var p = Prefix();
        await SameOnBothAsync(async ctl =>
        {
            var id = ctl.GrantedLease(await ctl.RunAsync("lease", "grant", "600"), "<lease>");
            await ctl.RunAsync("put", p + "k", "v1", "--lease", id);
            await ctl.RunAsync("put", p + "k", "--ignore-value", "--lease", id);
            await ctl.RunAsync("put", p + "k", "v2", "--ignore-lease");
            await ctl.RunAsync("get", p + "k", "-w", "json", "--consistency", "s");
            await ctl.RunAsync("put", p + "missing", "--ignore-value");
            await ctl.RunAsync("lease", "revoke", id);
        });
    }

    [Fact]
    public async Task Del_single_prefix_and_prev_kv_print_the_same()
    {
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            foreach (var key in new[] { "a", "b", "c", "d" })
            {
                await ctl.RunAsync("put", p + key, "v" + key);
            }

            await ctl.RunAsync("del", p + "a");
            await ctl.RunAsync("del", p + "a");
            await ctl.RunAsync("del", p + "b", "--prev-kv");
            await ctl.RunAsync("del", p, "--prefix", "--prev-kv");
            await ctl.RunAsync("del", p, "--prefix", "-w", "json");
            await ctl.RunAsync("get", p, "--prefix", "-w", "json");
        });

        Assert.Contains($"1\n{p}b\nvb\n", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Txn_from_stdin_takes_the_branch_its_compares_choose()
    {
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            await ctl.RunAsync("put", p + "a", "1");
            await ctl.RunAsync("put", p + "b", "x");
            await ctl.RunWithInputAsync(
                $"mod(\"{p}a\") > \"0\"\nval(\"{p}b\") = \"x\"\n\nput {p}a \"then\"\nget {p}b\ndel {p}b\n\nput {p}else \"1\"\n\n",
                "txn");
            await ctl.RunWithInputAsync(
                $"ver(\"{p}a\") = \"1\"\ncreate(\"{p}b\") = \"0\"\n\nput {p}never \"1\"\n\nput {p}else \"2\"\nget {p} --prefix\n\n",
                "txn", "-w", "json");
            await ctl.RunWithInputAsync($"val(\"{p}a\") < \"z\"\n\nput {p}c \"1\"\nput {p}c \"2\"\n\n\n", "txn");
            await ctl.RunAsync("get", p, "--prefix", "-w", "json");
        });

        Assert.Contains("SUCCESS", transcript, StringComparison.Ordinal);
        Assert.Contains("\"responses\"", transcript, StringComparison.Ordinal);
        Assert.Contains("duplicate key given in txn request", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_prefix_from_a_revision_replays_then_follows_concurrent_writes()
    {
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            await ctl.RunAsync("put", p + "a", "1");
            var start = Revision(await ctl.RunAsync("get", p + "a", "-w", "json"));
            await ctl.RunAsync("put", p + "b", "1");
            await ctl.RunAsync("del", p + "a");
            var rev = start.ToString(CultureInfo.InvariantCulture);

            await ctl.WatchAsync(["--prefix", p, "--rev", rev], "last", async () =>
            {
                // Written while the watch runs, one after the other so both servers see them in the same order.
                for (var i = 0; i < 5; i++)
                {
                    await ctl.RunAsync("put", p + "live" + i, "v" + i);
                }

                await ctl.RunAsync("put", p + "z", "last");
            });
            await ctl.WatchAsync(["--prefix", p, "--rev", rev, "--prev-kv"], "last", () => Task.CompletedTask);
            await ctl.WatchAsync([p + "b", "--rev", rev, "-w", "json"], "\"Events\"", () => Task.CompletedTask);
        });

        Assert.Contains($"DELETE\n{p}a\n", transcript, StringComparison.Ordinal);
        Assert.Contains($"PUT\n{p}live4\nv4\n", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leases_grant_attach_keep_alive_time_to_live_list_and_revoke_print_the_same()
    {
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            var id = ctl.GrantedLease(await ctl.RunAsync("lease", "grant", "600"), "<lease>");
            var other = ctl.GrantedLease(await ctl.RunAsync("lease", "grant", "300"), "<other-lease>");
            ctl.Mask(@"remaining\((59[0-9]|600)s\)", "remaining(about 600s)");
            ctl.Mask(@"""ttl"":(59[0-9]|600),", "\"ttl\":<about 600>,");

            // Listed soonest to expire first. Other tests' leases (etcdctl lock leaves its
            // session's) may be listed too: only ours are compared.
            var list = await ctl.RunUnrecordedAsync("lease", "list");
            Assert.Matches("^found [0-9]+ leases\n", list.StandardOutput);
            Assert.Equal([other, id], list.StandardOutput.Split('\n').Where(line => line == id || line == other));
            await ctl.RunAsync("lease", "revoke", other);

            // A TTL under etcd's minimum is raised to it; revoked at once, long before it could expire.
            var brief = ctl.GrantedLease(await ctl.RunAsync("lease", "grant", "1"), "<short-lease>");
            await ctl.RunAsync("lease", "revoke", brief);

            await ctl.RunAsync("put", p + "b", "1", "--lease", id);
            await ctl.RunAsync("put", p + "a", "1", "--lease", id);
            await ctl.RunAsync("get", p, "--prefix", "-w", "json");
            await ctl.RunAsync("lease", "timetolive", id);
            await ctl.RunAsync("lease", "timetolive", id, "-w", "json");
            await ctl.RunAsync("lease", "keep-alive", "--once", id);
            Assert.Contains(id, (await ctl.RunUnrecordedAsync("lease", "list")).StandardOutput, StringComparison.Ordinal);
            await ctl.RunAsync("lease", "revoke", id);
            await ctl.RunAsync("lease", "timetolive", id);
            await ctl.RunAsync("lease", "keep-alive", "--once", id);
            await ctl.RunAsync("lease", "revoke", id);
            Assert.DoesNotContain(id, (await ctl.RunUnrecordedAsync("lease", "list")).StandardOutput, StringComparison.Ordinal);
            await ctl.RunAsync("get", p, "--prefix", "-w", "json");
            await ctl.RunAsync("put", p + "c", "1", "--lease", id);
        });

        Assert.Contains("granted with TTL(600s)", transcript, StringComparison.Ordinal);
        Assert.Contains("granted with TTL(2s)", transcript, StringComparison.Ordinal); // raised to etcd's minimum
        Assert.Contains("keepalived with TTL(600)", transcript, StringComparison.Ordinal);
        Assert.Contains("lease <lease> revoked", transcript, StringComparison.Ordinal);
        Assert.Contains("requested lease not found", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_to_live_with_keys_lists_the_attached_keys()
    {
        var p = Prefix();
        await SameOnBothAsync(async ctl =>
        {
            var id = ctl.GrantedLease(await ctl.RunAsync("lease", "grant", "600"), "<lease>");
            ctl.Mask(@"remaining\((59[0-9]|600)s\)", "remaining(about 600s)");

            // One key: etcd lists attached keys in no particular order.
            await ctl.RunAsync("put", p + "only", "1", "--lease", id);
            var ttl = await ctl.RunAsync("lease", "timetolive", id, "--keys");
            Assert.Contains($"attached keys([{p}only])", ttl.StandardOutput, StringComparison.Ordinal);
            await ctl.RunAsync("lease", "revoke", id);
        });
    }

    [Fact]
    public async Task Compaction_then_reads_below_it_fail_as_on_etcd()
    {
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            await ctl.RunAsync("put", p + "k", "1");
            var first = Revision(await ctl.RunAsync("get", p + "k", "-w", "json"));
            await ctl.RunAsync("put", p + "k", "2");
            await ctl.RunAsync("put", p + "k", "3");
            var current = Revision(await ctl.RunAsync("get", p + "k", "-w", "json"));
            await ctl.RunAsync("compaction", (first + 1).ToString(CultureInfo.InvariantCulture));
            await ctl.RunAsync("get", p + "k", "--rev", first.ToString(CultureInfo.InvariantCulture));
            await ctl.RunAsync("get", p + "k", "--rev", (first + 1).ToString(CultureInfo.InvariantCulture));
            await ctl.RunAsync("compaction", "--physical", current.ToString(CultureInfo.InvariantCulture));
            await ctl.RunAsync("compaction", current.ToString(CultureInfo.InvariantCulture));
            await ctl.RunAsync("compaction", (current + 100).ToString(CultureInfo.InvariantCulture));
            await ctl.RunAsync("get", p + "k", "-w", "json");
            await ctl.RunAsync("get", p + "k", "--rev", (current + 100).ToString(CultureInfo.InvariantCulture));
        });

        Assert.Contains("compacted revision", transcript, StringComparison.Ordinal);
        Assert.Contains("required revision has been compacted", transcript, StringComparison.Ordinal);
        Assert.Contains("required revision is a future revision", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_health_and_hashkv_print_the_same_up_to_timings_and_hashes()
    {
        var transcript = await SameOnBothAsync(async ctl =>
        {
            ctl.Mask(@"took = [0-9.]+[a-zµ]+", "took = <duration>");
            ctl.Mask(@"<endpoint>, [0-9]+", "<endpoint>, <hash>");
            ctl.Mask(@"""hash"":[0-9]+", "\"hash\":<hash>");
            await ctl.RunAsync("endpoint", "health");
            await ctl.RunAsync("endpoint", "health", "--cluster");
            await ctl.RunAsync("endpoint", "hashkv");
            await ctl.RunAsync("endpoint", "hashkv", "-w", "json");
        });

        Assert.Contains("<endpoint> is healthy: successfully committed proposal: took = <duration>", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_runs_its_command_holding_the_lock_and_a_second_locker_waits_for_the_first()
    {
        // etcdctl lock is etcd's concurrency.Mutex: a lease, a key per waiter, a range sorted by
        // create revision with max_create_revision and limit 1, and a watch for the deletion.
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            await ctl.RunAsync("lock", p + "lock", "echo", "alone");
            var order = new List<string>();
            var first = ctl.RunUnrecordedAsync("lock", p + "lock", "--", "sh", "-c", "echo first-start; sleep 1; echo first-end");
            await Task.Delay(300);
            var second = ctl.RunUnrecordedAsync("lock", p + "lock", "echo", "second");
            var results = await Task.WhenAll(first, second);
            await ctl.RunAsync("get", p, "--prefix", "-w", "json");
            Assert.All(results, r => Assert.Equal(0, r.ExitCode));
            Assert.Equal("first-start\nfirst-end\n", results[0].StandardOutput);
            Assert.Equal("second\n", results[1].StandardOutput);
        });

        Assert.Contains("alone", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_whole_keyspace_and_its_whole_history_read_the_same_on_both()
    {
        // Both servers have seen the same writes, whichever tests ran before this one.
        var p = Prefix();
        await SameOnBothAsync(async ctl =>
        {
            ctl.Mask(@"^""(ClusterID|MemberID|RaftTerm)"" : [0-9]+$", "\"$1\" : <$1>");
            ctl.Mask(@"^""Lease"" : [1-9][0-9]*$", "\"Lease\" : <lease>");
            ctl.Mask(@"lock/[0-9a-f]+", "lock/<lease>"); // etcdctl lock names its keys after its session's lease
            await ctl.RunAsync("put", p + "end", "last-marker");
            await ctl.RunAsync("get", "", "--from-key", "-w", "fields");

            // From the oldest revision still kept (other tests compact), and from below it.
            var hash = JsonDocument.Parse((await ctl.RunUnrecordedAsync("endpoint", "hashkv", "-w", "json")).StandardOutput);
            var compacted = hash.RootElement[0].GetProperty("HashKV").TryGetProperty("compact_revision", out var c) ? c.GetInt64() : 0;
            var oldest = Math.Max(compacted, 1).ToString(CultureInfo.InvariantCulture);
            await ctl.WatchAsync(["--prefix", "", "--rev", oldest, "-w", "fields"], "last-marker", () => Task.CompletedTask);
            if (compacted > 1)
            {
                await ctl.WatchAsync(["--prefix", "", "--rev", (compacted - 1).ToString(CultureInfo.InvariantCulture)], "last-marker", () => Task.CompletedTask);
            }
        });
    }

    [Fact]
    public async Task Alarm_list_prints_the_same()
    {
        await SameOnBothAsync(async ctl => await ctl.RunAsync("alarm", "list"));
    }

    [Fact]
    public async Task Endpoint_status_prints_the_same_table_and_json_shape_with_the_member_as_leader()
    {
        var p = Prefix();
        var outputs = new List<(string Table, string Json)>();
        await SameOnBothAsync(async ctl =>
        {
            await ctl.RunAsync("put", p + "k", "v");
            // Sizes, indexes and versions differ between servers: these outputs are compared by shape below.
            var table = await ctl.RunUnrecordedAsync("endpoint", "status", "-w", "table");
            var json = await ctl.RunUnrecordedAsync("endpoint", "status", "-w", "json");
            var simple = await ctl.RunUnrecordedAsync("endpoint", "status");
            outputs.Add((table.StandardOutput, json.StandardOutput));
            Assert.Matches(@$"^{Regex.Escape(ctl.Endpoint)}, [0-9a-f]+, 3\.4\.[^,]+, [0-9.]+ [kMG]?B, true, false, [0-9]+, [0-9]+, [0-9]+, \n$", simple.StandardOutput);
        });

        var (etcdTable, storeTable) = (outputs[0].Table, outputs[1].Table);
        Assert.Equal(TableShape(etcdTable), TableShape(storeTable));
        Assert.Equal(JsonShape(outputs[0].Json), JsonShape(outputs[1].Json));
        foreach (var (_, json) in outputs)
        {
            var status = JsonDocument.Parse(json).RootElement[0].GetProperty("Status");
            Assert.Equal(status.GetProperty("header").GetProperty("member_id").GetUInt64(), status.GetProperty("leader").GetUInt64());
        }
    }

    [Fact]
    public async Task Member_list_prints_the_same_up_to_ids_and_peer_urls()
    {
        var outputs = new List<string>();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            ctl.Mask(@"^[0-9a-f]+, started", "<id>, started");
            ctl.Mask(@"http://127\.0\.0\.1:[0-9]+", "<peer-url>");
            ctl.Mask(@"\| +[0-9a-f]+ \| started", "| <id> | started");
            ctl.Mask(@"^\+[-+]+\+$", "+---+"); // column widths follow the IDs' lengths
            ctl.Mask(@" {2,}", " ");
            ctl.Mask(@"""ID"":[0-9]+", "\"ID\":<id>");
            await ctl.RunAsync("member", "list");
            await ctl.RunAsync("member", "list", "-w", "table");
            outputs.Add((await ctl.RunAsync("member", "list", "-w", "json")).StandardOutput);
        });

        Assert.Contains("<id>, started, default, <peer-url>, <endpoint>, false", transcript, StringComparison.Ordinal);
        Assert.Equal(JsonShape(outputs[0]), JsonShape(outputs[1]));
    }

    [Fact]
    public async Task Snapshot_save_writes_a_file_ending_in_the_sha256_of_the_rest()
    {
        var p = Prefix();
        var files = new List<string>();
        try
        {
            await SameOnBothAsync(async ctl =>
            {
                var file = Path.Combine(Path.GetTempPath(), $"minikube-snapshot-{Guid.NewGuid():N}.db");
                files.Add(file);
                ctl.Name(file, "<file>");
                ctl.Mask(@"\[stderr\] .*(\n\{.*)*\n", "");
                await ctl.RunAsync("put", p + "k", "v");
                await ctl.RunAsync("snapshot", "save", file);
            });

            foreach (var file in files)
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.Equal(32, bytes.Length % 512);
                Assert.Equal(SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)), bytes[^32..]);
            }
        }
        finally
        {
            files.ForEach(File.Delete);
        }
    }

    [Fact]
    public async Task Defrag_prints_the_same()
    {
        var transcript = await SameOnBothAsync(async ctl => await ctl.RunAsync("defrag"));

        Assert.Contains("Finished defragmenting etcd member[<endpoint>]", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_print_the_same()
    {
        var p = Prefix();
        var transcript = await SameOnBothAsync(async ctl =>
        {
            await ctl.RunAsync("put", p + "k", "v", "--lease", "1234abcd");
            await ctl.RunAsync("put", p + "k", "--ignore-value");
            await ctl.RunAsync("lease", "revoke", "1234abcd");
            await ctl.RunAsync("lease", "timetolive", "1234abcd");
            await ctl.RunAsync("get", "");
        });

        Assert.Contains("etcdserver: requested lease not found", transcript, StringComparison.Ordinal);
        Assert.Contains("etcdserver: key not found", transcript, StringComparison.Ordinal);
    }

    private static long Revision(ProcessResult json) =>
        JsonDocument.Parse(json.StandardOutput).RootElement.GetProperty("header").GetProperty("revision").GetInt64();

    /// <summary>A table's header row, and its data rows with every cell but the booleans masked (widths vary with the values).</summary>
    private static List<string> TableShape(string table)
    {
        var rows = table.Split('\n').Where(line => line.StartsWith('|')).Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray()).ToList();
        return [.. rows.Select((cells, i) => string.Join(" | ", i == 0 ? cells : cells.Select(c => c is "true" or "false" or "" ? c : "<x>")))];
    }

    /// <summary>Every property path of a JSON document with the kind of its value.</summary>
    private static List<string> JsonShape(string json)
    {
        var paths = new List<string>();
        void Walk(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value, path + "." + property.Name);
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item, $"{path}[{i++}]");
                    }

                    break;
                default:
                    paths.Add($"{path}: {element.ValueKind}");
                    break;
            }
        }

        Walk(JsonDocument.Parse(json).RootElement, "$");
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }
}
