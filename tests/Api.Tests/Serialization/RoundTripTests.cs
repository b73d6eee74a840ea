using System.Text.Json.Nodes;
using MiniKube.Api.Apps;
using MiniKube.Api.Autoscaling;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Tests.Serialization;

public class RoundTripTests
{
    public static TheoryData<string, Type> Samples() => new()
    {
        { "pod.json", typeof(Pod) },
        { "pending-pod.json", typeof(Pod) },
        { "node.json", typeof(Node) },
        { "namespace.json", typeof(Namespace) },
        { "deployment.json", typeof(Deployment) },
        { "replicaset.json", typeof(ReplicaSet) },
        { "service.json", typeof(Service) },
        { "external-service.json", typeof(Service) },
        { "configmap.json", typeof(ConfigMap) },
        { "secret.json", typeof(Secret) },
        { "event.json", typeof(Event) },
        { "lease.json", typeof(Lease) },
        { "binding.json", typeof(Binding) },
        { "scale.json", typeof(Scale) },
        { "podlist.json", typeof(PodList) },
        { "status.json", typeof(Status) },
        { "table.json", typeof(Table) },
        { "apiresourcelist.json", typeof(APIResourceList) },
        { "apigrouplist.json", typeof(APIGroupList) },
        { "apiversions.json", typeof(APIVersions) },
        { "watchevent.json", typeof(WatchEvent) },
        { "deleteoptions.json", typeof(DeleteOptions) },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_survives_deserialize_and_serialize_when_every_field_is_modelled(string file, Type type)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Serialization", "Samples", file));
        var obj = ApiJson.Deserialize(bytes, type);
        var written = JsonNode.Parse(ApiJson.Serialize(obj))!;
        // k8s writes some empty times as null ("creationTimestamp": null); null and absent mean the same.
        var expected = WithoutNulls(JsonNode.Parse(bytes)!);
        Assert.True(JsonNode.DeepEquals(expected, written),
            $"{file} changed in the round trip:\nexpected {expected.ToJsonString()}\nwritten  {written.ToJsonString()}\nfirst difference: {FirstDifference(expected, written, "$")}");
    }

    [Fact]
    public void Sample_comparison_notices_a_dropped_field_when_a_type_lacks_it()
    {
        // The round trip check itself must be able to fail: an unknown field is dropped on read.
        var json = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"notAField":1}""";
        var written = JsonNode.Parse(ApiJson.Serialize(ApiJson.Deserialize<ConfigMap>(json)))!;
        Assert.False(JsonNode.DeepEquals(JsonNode.Parse(json), written));
    }

    internal static JsonNode WithoutNulls(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is null)
                        obj.Remove(key);
                    else
                        WithoutNulls(value);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                        WithoutNulls(item);
                }
                break;
        }
        return node;
    }

    private static string FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(kv => kv.Key).Union(ob.Select(kv => kv.Key)))
            {
                if (!oa.ContainsKey(key) || !ob.ContainsKey(key) || !JsonNode.DeepEquals(oa[key], ob[key]))
                    return FirstDifference(oa.ContainsKey(key) ? oa[key] : null, ob.ContainsKey(key) ? ob[key] : null, $"{path}.{key}");
            }
        }
        if (a is JsonArray aa && b is JsonArray ab && aa.Count == ab.Count)
        {
            for (var i = 0; i < aa.Count; i++)
            {
                if (!JsonNode.DeepEquals(aa[i], ab[i]))
                    return FirstDifference(aa[i], ab[i], $"{path}[{i}]");
            }
        }
        return $"{path}: {a?.ToJsonString() ?? "(absent)"} vs {b?.ToJsonString() ?? "(absent)"}";
    }
}
