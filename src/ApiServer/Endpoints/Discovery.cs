using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Api.Serialization;
using MiniKube.ApiServer.Registry;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// Legacy discovery, as kubectl reads it: /version, /api (APIVersions), /apis (APIGroupList),
/// /apis/{group} (APIGroup) and one APIResourceList per group version — the object model's
/// documents, less the subresources this apiserver does not serve yet.
/// </summary>
public static class Discovery
{
    /// <summary>The Kubernetes version this apiserver speaks; kubectl compares its own version with it.</summary>
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-minikube",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-12-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonNode CoreVersions(string serverAddress)
    {
        var versions = ApiJson.ToNode(ApiResources.CoreVersions()).AsObject();
        versions["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress });
        return versions;
    }

    public static JsonNode Groups() => ApiJson.ToNode(ApiResources.Groups());

    public static JsonNode? Group(string group) => ApiResources.Group(group) is { } found ? ApiJson.ToNode(found) : null;

    public static JsonNode? Resources(string group, string version)
    {
        if (ApiResources.ResourceList(group, version) is not { } list)
        {
            return null;
        }

        list.Resources = [.. list.Resources!.Where(r => r.Name is not { } name || !name.Contains('/') || RestResource.ServedSubresources.Contains(name[(name.IndexOf('/') + 1)..]))];
        return ApiJson.ToNode(list);
    }
}
