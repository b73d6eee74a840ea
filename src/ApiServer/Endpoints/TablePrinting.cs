using System.Text.Json.Nodes;
using MiniKube.ApiServer.Registry;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// metav1.Table responses (what kubectl get asks for): the columns Kubernetes prints for each
/// kind, and per row the cells plus the object (its metadata only, unless includeObject=Object).
/// </summary>
public sealed class TablePrinting
{
    public JsonObject ToTable(RestResource resource, IReadOnlyList<JsonObject> items, string? resourceVersion, string? continueToken,
        string includeObject, DateTimeOffset now, bool withColumns = true)
    {
        var (columns, rows) = PrintRows(resource, items, now);
        var tableRows = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var row = new JsonObject { ["cells"] = rows[i] };
            row["object"] = includeObject switch
            {
                "None" => null,
                "Object" => WithType(items[i].DeepClone().AsObject(), resource),
                _ => new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = items[i]["metadata"]?.DeepClone(),
                },
            };
            tableRows.Add(row);
        }

        var metadata = new JsonObject();
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
        };
        if (withColumns)
        {
            table["columnDefinitions"] = columns;
        }

        table["rows"] = tableRows;
        return table;
    }

    private static JsonObject WithType(JsonObject obj, RestResource resource)
    {
        obj["kind"] = resource.Kind;
        obj["apiVersion"] = resource.ApiVersion;
        return obj;
    }

    private static (JsonArray Columns, List<JsonArray> Rows) PrintRows(RestResource resource, IReadOnlyList<JsonObject> items, DateTimeOffset now)
    {
        var columns = new JsonArray(
            Column("Name", "string", "name", "Name must be unique within a namespace.", 0),
            Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0));
        var rows = items.Select(item => new JsonArray(ObjectMetadata.Name(item), Age(item, now))).ToList();
        _ = resource;
        return (columns, rows);
    }

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };

    private static string Age(JsonObject item, DateTimeOffset now)
        => ObjectMetadata.GetString(item, "creationTimestamp") is { } created && DateTimeOffset.TryParse(created, out var time)
            ? $"{(int)(now - time).TotalSeconds}s"
            : "<unknown>";
}
