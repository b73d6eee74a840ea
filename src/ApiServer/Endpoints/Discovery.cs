using System.Text.Json.Nodes;
using MiniKube.ApiServer.Registry;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// Legacy discovery, as kubectl reads it: /api (APIVersions), /apis (APIGroupList), /apis/{group}
/// (APIGroup) and one APIResourceList per group version, subresources included.
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

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. ResourceRegistry.GroupVersions.Where(gv => gv.Group.Length > 0).Select(gv => (JsonNode)Group(gv.Group)!)]),
    };

    public static JsonObject? Group(string group)
    {
        var versions = ResourceRegistry.GroupVersions.Where(gv => gv.Group == group && group.Length > 0).ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(gv => (JsonNode)Version(gv.Version))]),
            ["preferredVersion"] = Version(versions[0].Version),
        };
    }

    public static JsonObject? Resources(string group, string version)
    {
        var resources = ResourceRegistry.Resources.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var resource in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Singular,
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = new JsonArray([.. resource.Verbs.Select(v => (JsonNode)v)]),
            };
            if (resource.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. resource.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (resource.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray([.. resource.Categories.Select(c => (JsonNode)c)]);
            }

            list.Add(entry);
            foreach (var sub in resource.Subresources)
            {
                var subEntry = new JsonObject
                {
                    ["name"] = $"{resource.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = resource.Namespaced,
                };
                switch (sub)
                {
                    case "scale":
                        subEntry["group"] = "autoscaling";
                        subEntry["version"] = "v1";
                        subEntry["kind"] = "Scale";
                        subEntry["verbs"] = new JsonArray("get", "patch", "update");
                        break;
                    case "binding":
                        subEntry["kind"] = "Binding";
                        subEntry["verbs"] = new JsonArray("create");
                        break;
                    case "finalize":
                        subEntry["kind"] = resource.Kind;
                        subEntry["verbs"] = new JsonArray("update");
                        break;
                    default:
                        subEntry["kind"] = resource.Kind;
                        subEntry["verbs"] = new JsonArray("get", "patch", "update");
                        break;
                }

                list.Add(subEntry);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }
}
