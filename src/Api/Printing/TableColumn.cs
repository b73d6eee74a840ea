using System.Text.Json.Nodes;

namespace MiniKube.Api.Printing;

/// <summary>A metav1.TableColumnDefinition. Priority 0 columns always show; priority 1 only with -o wide.</summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority = 0)
{
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };

    public static TableColumn FromJson(JsonNode node) => new(
        node["name"]?.GetValue<string>() ?? "",
        node["type"]?.GetValue<string>() ?? "string",
        node["format"]?.GetValue<string>() ?? "",
        node["description"]?.GetValue<string>() ?? "",
        node["priority"]?.GetValue<int>() ?? 0);
}
