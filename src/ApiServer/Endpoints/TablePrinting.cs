using System.Text.Json.Nodes;
using MiniKube.Api.Printing;
using MiniKube.ApiServer.Registry;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// metav1.Table responses (what kubectl get asks for), built by the object model's printers with
/// the columns Kubernetes prints for each kind; in a watch, only the first event carries the columns.
/// </summary>
public sealed class TablePrinting(TimeProvider clock)
{
    private readonly TablePrinter _printer = new(clock);

    public JsonObject ToTable(RestResource resource, IReadOnlyList<JsonObject> items, string? resourceVersion, string? continueToken,
        string includeObject, bool withColumns = true)
    {
        var include = includeObject switch
        {
            "None" => IncludeObject.None,
            "Object" => IncludeObject.FullObject,
            _ => IncludeObject.Metadata,
        };
        var typed = items.Select(item =>
        {
            var copy = item.DeepClone().AsObject();
            copy["kind"] = resource.Kind;
            copy["apiVersion"] = resource.ApiVersion;
            return copy;
        });
        var table = _printer.Table(resource.Group, resource.Plural, typed, include, resourceVersion, continueToken);
        if (!withColumns)
        {
            table.Remove("columnDefinitions");
        }

        return table;
    }
}
