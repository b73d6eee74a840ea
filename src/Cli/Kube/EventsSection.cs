using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MiniKube.Cli.Kube;

/// <summary>The Events section that kubectl describe ends with: the events whose involvedObject is the object, oldest
/// first, with kubectl's columns and its "Age (xN over M)" for repeated events.</summary>
public static class EventsSection
{
    private static readonly string[] Header = ["Type", "Reason", "Age", "From", "Message"];
    private static readonly string[] Rule = ["----", "------", "----", "----", "-------"];

    public static string Render(IEnumerable<JsonObject> events, DateTimeOffset now)
    {
        var sorted = events.OrderBy(e => LastSeen(e) ?? DateTimeOffset.MinValue).ToList();
        if (sorted.Count == 0)
        {
            return "Events:              <none>\n";
        }

        var rows = new List<string[]> { Header, Rule };
        foreach (var e in sorted)
        {
            var last = LastSeen(e);
            var first = Time(e["firstTimestamp"]) ?? last;
            var count = (int?)e["count"] ?? (int?)e["series"]?["count"] ?? 1;
            var age = last is { } l ? HumanDuration(now - l) : "<unknown>";
            if (count > 1 && first is { } f)
            {
                age = $"{age} (x{count} over {HumanDuration(now - f)})";
            }

            var from = (string?)e["source"]?["component"] is { Length: > 0 } component ? component : (string?)e["reportingComponent"] ?? "";
            if ((string?)e["source"]?["host"] is { Length: > 0 } host)
            {
                from += ", " + host;
            }

            rows.Add([(string?)e["type"] ?? "", (string?)e["reason"] ?? "", age, from, ((string?)e["message"] ?? "").Trim()]);
        }

        var sb = new StringBuilder("Events:\n");
        foreach (var line in TableWriter.Render(rows).TrimEnd('\n').Split('\n'))
        {
            sb.Append("  ").Append(line.TrimEnd()).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The field selector kubectl describe lists an object's events with.</summary>
    public static string FieldSelector(JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject ?? [];
        var parts = new List<string> { $"involvedObject.name={meta["name"]}" };
        if ((string?)meta["namespace"] is { Length: > 0 } ns)
        {
            parts.Add($"involvedObject.namespace={ns}");
        }

        if ((string?)obj["kind"] is { Length: > 0 } kind)
        {
            parts.Add($"involvedObject.kind={kind}");
        }

        if ((string?)meta["uid"] is { Length: > 0 } uid)
        {
            parts.Add($"involvedObject.uid={uid}");
        }

        return string.Join(',', parts);
    }

    /// <summary>apimachinery's duration.HumanDuration, as kubectl prints ages.</summary>
    public static string HumanDuration(TimeSpan d) => Api.Printing.HumanDuration.Format(d);

    private static DateTimeOffset? LastSeen(JsonObject e) =>
        Time(e["lastTimestamp"]) ?? Time(e["eventTime"]) ?? Time(e["series"]?["lastObservedTime"]) ?? Time(e["firstTimestamp"]) ?? Time(e["metadata"]?["creationTimestamp"]);

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

}
