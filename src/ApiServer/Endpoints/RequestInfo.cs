namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// What a request path and method ask for (k8s.io/apiserver's RequestInfo): the API group and
/// version, namespace, resource, name and subresource, and the Kubernetes verb.
/// </summary>
public sealed record RequestInfo(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource, string Verb)
{
    /// <summary>Parses /api/v1/… and /apis/{group}/{version}/… resource paths; null for anything else.</summary>
    public static RequestInfo? Parse(string method, string path, bool watch)
    {
        var parts = path.Trim('/').Split('/');
        string group;
        string version;
        int i;
        if (parts.Length >= 3 && parts[0] == "api")
        {
            (group, version, i) = ("", parts[1], 2);
        }
        else if (parts.Length >= 4 && parts[0] == "apis")
        {
            (group, version, i) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }

        // The deprecated /watch/ path prefix still works in Kubernetes.
        if (parts[i] == "watch")
        {
            watch = true;
            i++;
        }

        var rest = parts[i..];
        if (rest.Any(p => p.Length == 0))
        {
            return null;
        }

        string? ns = null;
        // /api/v1/namespaces/{name}[/status|/finalize] are the namespace objects themselves.
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3)
        {
            return null;
        }

        var resource = rest[0];
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        var verb = method switch
        {
            "GET" or "HEAD" => watch ? "watch" : name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        return new RequestInfo(group, version, ns, resource, name is null ? null : Uri.UnescapeDataString(name), subresource, verb);
    }
}
