using System.Globalization;
using Mvccpb;

namespace MiniKube.Cli.Etcd.Output;

/// <summary>Key-value pairs and watch events as the readable, simple and table formats show them.</summary>
public static class KeyValuePrinter
{
    /// <summary>
    /// <code>
    /// /registry/greeting  (created 2, modified 5, version 3, lease 694d7b3e4a2b1c05)
    ///   hello again
    /// </code>
    /// </summary>
    public static void WriteReadable(TextWriter output, KeyValue kv)
    {
        output.WriteLine($"{ValueText.Key(kv.Key)}  ({Revisions(kv)})");
        WriteIndented(output, ValueText.Value(kv.Value));
    }

    /// <summary>etcdctl's simple format: the key, then the value, each on its own line.</summary>
    public static void WriteSimple(TextWriter output, KeyValue kv, bool keysOnly = false)
    {
        output.WriteLine(kv.Key.ToStringUtf8());
        if (!keysOnly)
        {
            output.WriteLine(kv.Value.ToStringUtf8());
        }
    }

    public static TextTable Table(IEnumerable<KeyValue> kvs)
    {
        var table = new TextTable("KEY", "CREATE", "MOD", "VERSION", "LEASE", "VALUE");
        foreach (var kv in kvs)
        {
            table.Add(ValueText.Key(kv.Key), Number(kv.CreateRevision), Number(kv.ModRevision), Number(kv.Version), kv.Lease == 0 ? "" : LeaseId(kv.Lease), ValueText.OneLine(kv.Value));
        }

        return table;
    }

    /// <summary>
    /// <code>
    /// PUT /registry/greeting  (revision 14, created 2, version 3)
    ///   hello again
    ///   was (revision 5): hello
    /// </code>
    /// </summary>
    public static void WriteReadable(TextWriter output, Event e)
    {
        var kv = e.Kv;
        if (e.Type == Event.Types.EventType.Delete)
        {
            output.WriteLine($"DELETE {ValueText.Key(kv.Key)}  (revision {kv.ModRevision})");
        }
        else
        {
            var created = kv.Version == 1 ? "created" : $"created {kv.CreateRevision}";
            output.WriteLine($"PUT {ValueText.Key(kv.Key)}  (revision {kv.ModRevision}, {created}, version {kv.Version}{(kv.Lease == 0 ? "" : $", lease {LeaseId(kv.Lease)}")})");
            WriteIndented(output, ValueText.Value(kv.Value));
        }

        if (e.PrevKv is { } previous)
        {
            WriteIndented(output, $"was (revision {previous.ModRevision}): {ValueText.Value(previous.Value)}");
        }
    }

    /// <summary>etcdctl watch's simple format: the event type, the key, the value (and the previous one).</summary>
    public static void WriteSimple(TextWriter output, Event e)
    {
        output.WriteLine(e.Type == Event.Types.EventType.Delete ? "DELETE" : "PUT");
        if (e.PrevKv is { } previous)
        {
            WriteSimple(output, previous);
        }

        WriteSimple(output, e.Kv);
    }

    /// <summary>Lease IDs in hex, as etcdctl prints and parses them.</summary>
    public static string LeaseId(long id) => id.ToString("x16", CultureInfo.InvariantCulture);

    public static string MemberId(ulong id) => id.ToString("x", CultureInfo.InvariantCulture);

    private static string Revisions(KeyValue kv)
        => $"created {kv.CreateRevision}, modified {kv.ModRevision}, version {kv.Version}" + (kv.Lease == 0 ? "" : $", lease {LeaseId(kv.Lease)}");

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteIndented(TextWriter output, string text)
    {
        foreach (var line in text.Split('\n'))
        {
            output.WriteLine("  " + line.TrimEnd('\r'));
        }
    }
}
