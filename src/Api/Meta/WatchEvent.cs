using System.Text.Json.Nodes;

namespace MiniKube.Api.Meta;

/// <summary>metav1.WatchEvent: one line of a watch stream. Type is ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
/// (an ERROR event carries a Status as its object).</summary>
public sealed class WatchEvent
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    public string? Type { get; set; }

#pragma warning disable CA1720 // k8s names the field object
    public JsonNode? Object { get; set; }
#pragma warning restore CA1720
}
