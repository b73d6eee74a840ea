using System.Text.Json.Nodes;
using MiniKube.Api.Patching;

namespace MiniKube.Api.Tests.Patching;

public class StrategicMergePatchTests
{
    private static readonly PatchSchema Pod = PatchSchema.ForKind("v1", "Pod");
    private static readonly PatchSchema Deployment = PatchSchema.ForKind("apps/v1", "Deployment");

    private const string TwoContainers = """
        {"metadata":{"name":"p","finalizers":["a","b","c"]},
         "spec":{"containers":[
           {"name":"web","image":"nginx:1","env":[{"name":"W","value":"1"},{"name":"X","value":"1"}],"ports":[{"containerPort":80}]},
           {"name":"sidecar","image":"envoy:1"}],
          "tolerations":[{"key":"a","operator":"Exists"}]}}
        """;

    private static JsonNode? Apply(string original, string patch, PatchSchema schema) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original), JsonNode.Parse(patch)!, schema);

    [Fact]
    public void Apply_merges_containers_by_name_keeping_order()
    {
        var result = Apply(TwoContainers, """{"spec":{"containers":[{"name":"sidecar","image":"envoy:2"}]}}""", Pod);
        var containers = result!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("envoy:2", (string)containers[1]!["image"]!);
        Assert.Equal("nginx:1", (string)containers[0]!["image"]!);
    }

    [Fact]
    public void Apply_appends_new_container_after_existing_ones()
    {
        var result = Apply(TwoContainers, """{"spec":{"containers":[{"name":"debug","image":"busybox"}]}}""", Pod);
        Assert.Equal(["web", "sidecar", "debug"], result!["spec"]!["containers"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void Apply_merges_env_by_name_inside_a_container()
    {
        var result = Apply(TwoContainers, """{"spec":{"containers":[{"name":"web","env":[{"name":"X","value":"2"},{"name":"Y","value":"3"}]}]}}""", Pod);
        JsonAssert.Equal("""[{"name":"W","value":"1"},{"name":"X","value":"2"},{"name":"Y","value":"3"}]""", result!["spec"]!["containers"]![0]!["env"]);
        JsonAssert.Equal("""[{"containerPort":80}]""", result["spec"]!["containers"]![0]!["ports"]);
    }

    [Fact]
    public void Apply_deletes_one_container_when_patch_says_delete()
    {
        var result = Apply(TwoContainers, """{"spec":{"containers":[{"name":"web","$patch":"delete"}]}}""", Pod);
        JsonAssert.Equal("""[{"name":"sidecar","image":"envoy:1"}]""", result!["spec"]!["containers"]);
    }

    [Fact]
    public void Apply_replaces_list_when_element_says_replace()
    {
        var result = Apply(TwoContainers, """{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x"}]}}""", Pod);
        JsonAssert.Equal("""[{"name":"only","image":"x"}]""", result!["spec"]!["containers"]);
    }

    [Fact]
    public void Apply_replaces_map_when_it_says_replace()
    {
        var result = Apply("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", """{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""", Pod);
        JsonAssert.Equal("""{"metadata":{"labels":{"c":"3"}}}""", result);
    }

    [Fact]
    public void Apply_deletes_finalizer_with_deleteFromPrimitiveList()
    {
        var result = Apply(TwoContainers, """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}""", Pod);
        JsonAssert.Equal("""["a","c"]""", result!["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Apply_merges_finalizers_as_a_set()
    {
        var result = Apply(TwoContainers, """{"metadata":{"finalizers":["c","d"]}}""", Pod);
        JsonAssert.Equal("""["a","b","c","d"]""", result!["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Apply_replaces_lists_without_merge_strategy()
    {
        var result = Apply(TwoContainers, """{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}""", Pod);
        JsonAssert.Equal("""[{"key":"b","operator":"Exists"}]""", result!["spec"]!["tolerations"]);
        var unknown = Apply(TwoContainers, """{"spec":{"containers":[{"name":"x"}]}}""", PatchSchema.ForKind("example.com/v1", "Widget"));
        JsonAssert.Equal("""[{"name":"x"}]""", unknown!["spec"]!["containers"]);
    }

    [Fact]
    public void ForKind_knows_built_in_kinds_and_caches_schemas()
    {
        Assert.True(PatchSchema.ForKind("v1", "Pod").IsBuiltIn);
        Assert.True(PatchSchema.ForKind("coordination.k8s.io/v1", "Lease").IsBuiltIn);
        Assert.False(PatchSchema.ForKind("example.com/v1", "Widget").IsBuiltIn);
        Assert.Same(PatchSchema.ForKind("apps/v1", "Deployment"), PatchSchema.ForKind("apps/v1beta2", "Deployment"));
        Assert.Equal("name", PatchSchema.ForKind("apps/v1", "ReplicaSet").Lookup("spec.template.spec.containers.env")?.MergeKey);
        Assert.Equal("uid", PatchSchema.ForKind("example.com/v1", "Widget").Lookup("metadata.ownerReferences")?.MergeKey);
    }

    [Fact]
    public void Apply_removes_key_when_patch_value_is_null_and_drops_unmatched_nulls()
    {
        var result = Apply("""{"spec":{"a":1,"b":2}}""", """{"spec":{"a":null,"c":{"d":null,"e":1}}}""", Pod);
        JsonAssert.Equal("""{"spec":{"b":2,"c":{"e":1}}}""", result);
    }

    [Fact]
    public void Apply_keeps_only_retained_keys()
    {
        var original = """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""";
        var result = Apply(original, """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""", Deployment);
        JsonAssert.Equal("""{"spec":{"strategy":{"type":"Recreate"}}}""", result);
    }

    [Fact]
    public void Apply_orders_list_by_setElementOrder()
    {
        var result = Apply(TwoContainers, """{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}""", Pod);
        Assert.Equal(["sidecar", "web"], result!["spec"]!["containers"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void Apply_merges_pod_template_containers_inside_deployment()
    {
        var original = """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:1"},{"name":"b","image":"b:1"}]}}}}""";
        var result = Apply(original, """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"a:2"}]}}}}""", Deployment);
        JsonAssert.Equal("""[{"name":"a","image":"a:2"},{"name":"b","image":"b:1"}]""", result!["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Apply_merges_status_conditions_by_type()
    {
        var original = """{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}""";
        var result = Apply(original, """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""", Pod);
        JsonAssert.Equal("""[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]""", result!["status"]!["conditions"]);
    }

    [Theory]
    [InlineData("""{"spec":{"containers":[{"image":"x"}]}}""", "does not contain declared merge key: name")]
    [InlineData("""{"spec":{"$patch":"frob"}}""", "unknown patch type: frob in map")]
    [InlineData("""{"spec":{"containers":[{"name":"x","$patch":"merge"}]}}""", "merging lists cannot yet be specified in the patch")]
    public void Apply_throws_when_patch_is_malformed(string patch, string message)
    {
        var e = Assert.Throws<PatchException>(() => Apply(TwoContainers, patch, Pod));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTwoWay_produces_k8s_directives_for_container_changes()
    {
        var original = JsonNode.Parse(TwoContainers);
        var modified = JsonNode.Parse(TwoContainers)!;
        modified["spec"]!["containers"]!.AsArray().RemoveAt(1);
        modified["spec"]!["containers"]![0]!["image"] = "nginx:2";
        modified["metadata"]!["finalizers"] = new JsonArray("a", "c");
        var patch = StrategicMergePatch.CreateTwoWay(original, modified, Pod);
        JsonAssert.Equal("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["a","c"]},
             "spec":{"containers":[{"name":"web","image":"nginx:2"},{"name":"sidecar","$patch":"delete"}],
                     "$setElementOrder/containers":[{"name":"web"}]}}
            """, patch);
        JsonAssert.Equal(modified, StrategicMergePatch.Apply(original, patch, Pod));
    }

    [Fact]
    public void CreateTwoWay_gives_empty_patch_when_nothing_changed()
    {
        Assert.Empty(StrategicMergePatch.CreateTwoWay(JsonNode.Parse(TwoContainers), JsonNode.Parse(TwoContainers), Pod));
    }

    [Fact]
    public void CreateTwoWay_adds_retainKeys_for_deployment_strategy()
    {
        var original = JsonNode.Parse("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""");
        var modified = JsonNode.Parse("""{"spec":{"strategy":{"type":"Recreate"}}}""");
        var patch = StrategicMergePatch.CreateTwoWay(original, modified, Deployment);
        JsonAssert.Equal("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}""", patch);
        JsonAssert.Equal(modified, StrategicMergePatch.Apply(original, patch, Deployment));
    }

    [Fact]
    public void CreateThreeWay_deletes_removed_fields_and_keeps_fields_set_by_others()
    {
        var lastApplied = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","labels":{"app":"web","tier":"fe"}},
             "spec":{"replicas":3,"template":{"spec":{"containers":[
               {"name":"web","image":"nginx:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
               {"name":"log","image":"fluent:1"}]}}}}
            """);
        var applied = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":3,"template":{"spec":{"containers":[
               {"name":"web","image":"nginx:2","env":[{"name":"A","value":"1"}]}]}}}}
            """);
        var live = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","uid":"u1","labels":{"app":"web","tier":"fe","owner":"ops"},
                         "annotations":{"deployment.kubernetes.io/revision":"1"}},
             "spec":{"replicas":5,"template":{"spec":{"containers":[
               {"name":"web","image":"nginx:1","terminationMessagePath":"/dev/termination-log",
                "env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}]},
               {"name":"log","image":"fluent:1"}],"restartPolicy":"Always"}}},
             "status":{"replicas":5}}
            """);
        var patch = StrategicMergePatch.CreateThreeWay(lastApplied, applied, live, Deployment);
        var result = StrategicMergePatch.Apply(live, patch, Deployment);
        JsonAssert.Equal("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","uid":"u1","labels":{"app":"web","owner":"ops"},
                         "annotations":{"deployment.kubernetes.io/revision":"1"}},
             "spec":{"replicas":3,"template":{"spec":{"containers":[
               {"name":"web","image":"nginx:2","terminationMessagePath":"/dev/termination-log",
                "env":[{"name":"A","value":"1"},{"name":"C","value":"3"}]}],"restartPolicy":"Always"}}},
             "status":{"replicas":5}}
            """, result);
        Assert.Null(patch["status"]);
        Assert.False(patch["metadata"]!.AsObject().ContainsKey("annotations"));
    }

    [Fact]
    public void CreateThreeWay_clears_defaulted_rolling_update_when_strategy_becomes_recreate()
    {
        var lastApplied = JsonNode.Parse("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""");
        var applied = JsonNode.Parse("""{"spec":{"strategy":{"type":"Recreate"}}}""");
        var live = JsonNode.Parse("""{"spec":{"replicas":1,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}}}}""");
        var patch = StrategicMergePatch.CreateThreeWay(lastApplied, applied, live, Deployment);
        JsonAssert.Equal("""["type"]""", patch["spec"]!["strategy"]!["$retainKeys"]);
        JsonAssert.Equal("""{"spec":{"replicas":1,"strategy":{"type":"Recreate"}}}""", StrategicMergePatch.Apply(live, patch, Deployment));
    }

    [Fact]
    public void CreateThreeWay_removes_only_the_finalizers_the_configuration_dropped()
    {
        var lastApplied = JsonNode.Parse("""{"metadata":{"finalizers":["a","b"]}}""");
        var applied = JsonNode.Parse("""{"metadata":{"finalizers":["a","c"]}}""");
        var live = JsonNode.Parse("""{"metadata":{"finalizers":["a","b","controller"]}}""");
        var patch = StrategicMergePatch.CreateThreeWay(lastApplied, applied, live, Pod);
        JsonAssert.Equal("""["b"]""", patch["metadata"]!["$deleteFromPrimitiveList/finalizers"]);
        JsonAssert.Equal("""{"metadata":{"finalizers":["a","controller","c"]}}""", StrategicMergePatch.Apply(live, patch, Pod));
    }

    [Fact]
    public void CreateThreeWay_is_empty_when_configuration_is_unchanged_and_live_only_has_additions()
    {
        var config = JsonNode.Parse("""{"metadata":{"name":"p","labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"i"}]}}""");
        var live = JsonNode.Parse("""
            {"metadata":{"name":"p","uid":"u","labels":{"a":"1"}},
             "spec":{"containers":[{"name":"c","image":"i","imagePullPolicy":"Always"}],"nodeName":"n1"},
             "status":{"phase":"Running"}}
            """);
        Assert.Empty(StrategicMergePatch.CreateThreeWay(config, config, live, Pod));
    }

    [Fact]
    public void CreateTwoWay_round_trips_random_pods()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        for (var i = 0; i < 200; i++)
        {
            var original = RandomPod(random);
            var modified = RandomPod(random);
            var patch = StrategicMergePatch.CreateTwoWay(original, modified, Pod);
            var result = StrategicMergePatch.Apply(original, patch, Pod);
            Assert.True(JsonNode.DeepEquals(modified, result),
                $"seed {seed} case {i}\noriginal {original.ToJsonString()}\nmodified {modified.ToJsonString()}\npatch {patch.ToJsonString()}\nresult {result?.ToJsonString()}");
        }
    }

    private static JsonObject RandomPod(Random random)
    {
        string Pick(params string[] options) => options[random.Next(options.Length)];
        var containers = new JsonArray();
        foreach (var name in new[] { "a", "b", "c", "d" }.OrderBy(_ => random.Next()).Take(random.Next(0, 4)))
        {
            var c = new JsonObject { ["name"] = name, ["image"] = Pick("x:1", "x:2") };
            if (random.Next(2) == 0)
            {
                var env = new JsonArray();
                foreach (var e in new[] { "E1", "E2", "E3" }.OrderBy(_ => random.Next()).Take(random.Next(1, 4)))
                {
                    env.Add(new JsonObject { ["name"] = e, ["value"] = Pick("1", "2") });
                }
                c["env"] = env;
            }
            if (random.Next(3) == 0)
            {
                c["args"] = new JsonArray([.. Enumerable.Range(0, random.Next(3)).Select(_ => (JsonNode)Pick("-v", "-q", "--x"))]);
            }
            containers.Add(c);
        }
        var metadata = new JsonObject { ["name"] = "p" };
        if (random.Next(2) == 0)
        {
            metadata["finalizers"] = new JsonArray([.. new[] { "f1", "f2", "f3" }.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(f => (JsonNode)f)]);
        }
        if (random.Next(2) == 0)
        {
            metadata["labels"] = new JsonObject { ["app"] = Pick("a", "b"), [Pick("x", "y")] = "1" };
        }
        var spec = new JsonObject { ["containers"] = containers };
        if (random.Next(2) == 0)
        {
            spec["nodeName"] = Pick("n1", "n2");
        }
        return new JsonObject { ["metadata"] = metadata, ["spec"] = spec };
    }
}
