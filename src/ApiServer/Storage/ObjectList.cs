using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Storage;

/// <summary>One page of a list: its items, the revision it was read at, and how to get the next page.</summary>
public sealed record ObjectList(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
