using System.Text.Json.Nodes;

namespace MiniKube.ApiServer.Tests.Rest;

/// <summary>
/// The REST API's contract as Kubernetes clients rely on it, run against an apiserver on
/// MiniKube's store and on a real etcd 3.4 (see the subclasses). Each test works in a namespace of its own.
/// </summary>
public abstract class RestContractTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : ApiServerFixture
{
    protected TFixture Fixture => fixture;

    protected async Task<string> NewNamespaceAsync()
    {
        var name = $"t-{Guid.NewGuid():N}"[..20];
        var (code, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }.ToJsonString());
        Assert.True(code == 201, body?.ToJsonString());
        return name;
    }

    protected static string Deployment(string name, int replicas = 2, string image = "nginx:1.25")
    {
        var labels = new JsonObject { ["app"] = name };
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels.DeepClone() },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image }) },
                },
            },
        }.ToJsonString();
    }

    protected static string Pod(string name, string? node = null, string app = "demo")
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) };
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = app } },
            ["spec"] = spec,
        }.ToJsonString();
    }

    [Fact]
    public async Task Discovery_lists_the_groups_and_resources_kubectl_needs()
    {
        var (code, version) = await fixture.SendAsync(HttpMethod.Get, "/version");
        Assert.Equal(200, code);
        Assert.Equal("32", version!["minor"]!.GetValue<string>());
        var (_, groups) = await fixture.SendAsync(HttpMethod.Get, "/apis");
        Assert.Contains("apps", groups!["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()));
        var (_, core) = await fixture.SendAsync(HttpMethod.Get, "/api/v1");
        var pods = core!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "pods")!;
        Assert.Contains("watch", pods["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Contains("pods/binding", core["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var (_, apps) = await fixture.SendAsync(HttpMethod.Get, "/apis/apps/v1");
        var scale = apps!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "deployments/scale")!;
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        var (missing, status) = await fixture.SendAsync(HttpMethod.Get, "/apis/nothing.example.com/v1");
        Assert.Equal(404, missing);
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_stores_the_object_as_json_under_the_kubernetes_key_with_defaults_and_system_fields()
    {
        var ns = await NewNamespaceAsync();
        var (code, created) = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment("web"));
        Assert.Equal(201, code);
        Assert.Equal(1, created!["metadata"]!["generation"]!.GetValue<long>());
        Assert.NotNull(created["metadata"]!["uid"]);
        Assert.NotNull(created["metadata"]!["creationTimestamp"]);
        Assert.Equal("RollingUpdate", created["spec"]!["strategy"]!["type"]!.GetValue<string>());
        Assert.Equal("25%", created["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<string>());

        var stored = await fixture.Etcd.GetAsync($"/registry/deployments/{ns}/web");
        var kv = Assert.Single(stored.Kvs);
        Assert.Equal(created["metadata"]!["resourceVersion"]!.GetValue<string>(), kv.ModRevision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var value = JsonNode.Parse(kv.Value.ToStringUtf8())!;
        Assert.Equal("web", value["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(value["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task A_stale_resourceVersion_is_a_409_Conflict_with_kubernetes_message()
    {
        var ns = await NewNamespaceAsync();
        var (_, created) = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment("web"));
        var first = created!.DeepClone();
        first["spec"]!["replicas"] = 3;
        var (ok, updated) = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web", first.ToJsonString());
        Assert.Equal(200, ok);
        Assert.Equal(2, updated!["metadata"]!["generation"]!.GetValue<long>());

        var stale = created.DeepClone();
        stale["spec"]!["replicas"] = 5;
        var (code, status) = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web", stale.ToJsonString());
        Assert.Equal(409, code);
        Assert.Equal("Conflict", status!["reason"]!.GetValue<string>());
        Assert.Equal("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again",
            status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_object_is_a_422_listing_every_invalid_field()
    {
        var ns = await NewNamespaceAsync();
        var body = Deployment("Bad_Name", replicas: -1);
        var (code, status) = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", body);
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        var fields = status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ToList();
        Assert.Contains("metadata.name", fields);
        Assert.Contains("spec.replicas", fields);
        Assert.StartsWith("Deployment.apps \"Bad_Name\" is invalid: [", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "application/json", 400)]
    [InlineData("<xml/>", "application/xml", 415)]
    public async Task Malformed_or_unsupported_bodies_are_client_errors(string body, string contentType, int expected)
    {
        var ns = await NewNamespaceAsync();
        var (code, status) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", body, contentType);
        Assert.Equal(expected, code);
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
        Assert.Equal(expected, status["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_body_over_3_MiB_is_413()
    {
        var ns = await NewNamespaceAsync();
        var big = new string('x', 3 * 1024 * 1024 + 10);
        var (code, status) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "big" }, ["data"] = new JsonObject { ["k"] = big } }.ToJsonString());
        Assert.Equal(413, code);
        Assert.Equal("RequestEntityTooLarge", status!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_resources_and_missing_objects_are_404_Status()
    {
        var (code, status) = await fixture.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/widgets");
        Assert.Equal(404, code);
        Assert.Equal("NotFound", status!["reason"]!.GetValue<string>());
        (code, status) = await fixture.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/nope");
        Assert.Equal(404, code);
        Assert.Equal("deployments.apps \"nope\" not found", status!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404_and_generateName_makes_a_name()
    {
        var (code, status) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/namespaces/does-not-exist/configmaps", """{"metadata":{"name":"x"}}""");
        Assert.Equal(404, code);
        Assert.Equal("namespaces \"does-not-exist\" not found", status!["message"]!.GetValue<string>());

        var ns = await NewNamespaceAsync();
        var (created, obj) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"generateName":"cfg-"}}""");
        Assert.Equal(201, created);
        Assert.Matches("^cfg-[a-z0-9]{5}$", obj!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lists_page_with_limit_and_continue_and_filter_by_label_and_field_selectors()
    {
        var ns = await NewNamespaceAsync();
        for (var i = 0; i < 5; i++)
        {
            await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", Pod($"p{i}", node: i % 2 == 0 ? "node-a" : null, app: i < 3 ? "web" : "db"));
        }

        var (_, page1) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?limit=2");
        Assert.Equal(2, page1!["items"]!.AsArray().Count);
        Assert.Equal(3, page1["metadata"]!["remainingItemCount"]!.GetValue<long>());
        var token = Uri.EscapeDataString(page1["metadata"]!["continue"]!.GetValue<string>());
        var (_, page2) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?limit=2&continue={token}");
        Assert.Equal(["p2", "p3"], page2!["items"]!.AsArray().Select(p => p!["metadata"]!["name"]!.GetValue<string>()));

        var (_, web) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?labelSelector=app%20in%20(web),app!=db");
        Assert.Equal(3, web!["items"]!.AsArray().Count);
        var (_, onNode) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.nodeName=node-a");
        Assert.Equal(["p0", "p2", "p4"], onNode!["items"]!.AsArray().Select(p => p!["metadata"]!["name"]!.GetValue<string>()));
        var (_, unscheduled) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.nodeName=");
        Assert.Equal(["p1", "p3"], unscheduled!["items"]!.AsArray().Select(p => p!["metadata"]!["name"]!.GetValue<string>()));

        var (bad, status) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?fieldSelector=spec.image=x");
        Assert.Equal(400, bad);
        Assert.Contains("field label not supported: spec.image", status!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (bad, _) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?labelSelector=a%20in%20b");
        Assert.Equal(400, bad);
    }

    [Fact]
    public async Task A_compacted_resourceVersion_is_410_Gone()
    {
        var ns = await NewNamespaceAsync();
        var (_, first) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"a"}}""");
        var (_, second) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"b"}}""");
        var oldRv = first!["metadata"]!["resourceVersion"]!.GetValue<string>();
        await fixture.Etcd.CompactAsync(long.Parse(second!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var (code, status) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?resourceVersion={oldRv}&resourceVersionMatch=Exact");
        Assert.Equal(410, code);
        Assert.Equal("Expired", status!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_and_spec_are_written_separately_and_generation_counts_spec_changes()
    {
        var ns = await NewNamespaceAsync();
        var (_, created) = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment("web"));
        var withStatus = created!.DeepClone();
        withStatus["status"] = new JsonObject { ["replicas"] = 2, ["observedGeneration"] = 1 };
        withStatus["spec"]!["replicas"] = 9;
        var (code, afterStatus) = await fixture.SendAsync(HttpMethod.Put, $"/apis/apps/v1/namespaces/{ns}/deployments/web/status", withStatus.ToJsonString());
        Assert.Equal(200, code);
        Assert.Equal(2, afterStatus!["status"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, afterStatus["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, afterStatus["metadata"]!["generation"]!.GetValue<long>());

        var (_, labeled) = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web",
            """{"metadata":{"labels":{"tier":"front"}},"status":{"replicas":7}}""", "application/merge-patch+json");
        Assert.Equal(1, labeled!["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(2, labeled["status"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Patches_of_every_type_apply()
    {
        var ns = await NewNamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment("web"));
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/web";
        var (code, smp) = await fixture.SendAsync(HttpMethod.Patch, path,
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy"}]}}}}""", "application/strategic-merge-patch+json");
        Assert.Equal(200, code);
        Assert.Equal(["web", "sidecar"], smp!["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var (_, json) = await fixture.SendAsync(HttpMethod.Patch, path, """[{"op":"replace","path":"/spec/replicas","value":4}]""", "application/json-patch+json");
        Assert.Equal(4, json!["spec"]!["replicas"]!.GetValue<int>());
        var (failed, status) = await fixture.SendAsync(HttpMethod.Patch, path, """[{"op":"test","path":"/spec/replicas","value":1}]""", "application/json-patch+json");
        Assert.Equal(422, failed);
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
        var (_, merged) = await fixture.SendAsync(HttpMethod.Patch, path, """{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"}]}}}}""", "application/merge-patch+json");
        Assert.Equal(["only"], merged!["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_dry_run_answers_the_would_be_object_and_writes_nothing()
    {
        var ns = await NewNamespaceAsync();
        var (code, _) = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments?dryRun=All", Deployment("ghost"));
        Assert.Equal(201, code);
        Assert.Equal(404, (await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/ghost")).Code);

        var (_, created) = await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment("web"));
        var (patched, wouldBe) = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web?dryRun=All",
            """{"spec":{"replicas":7}}""", "application/merge-patch+json");
        Assert.Equal(200, patched);
        Assert.Equal(7, wouldBe!["spec"]!["replicas"]!.GetValue<int>());
        var (_, live) = await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web");
        Assert.Equal(2, live!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(created!["metadata"]!["resourceVersion"]!.GetValue<string>(), live["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scale_reads_and_writes_spec_replicas()
    {
        var ns = await NewNamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment("web", replicas: 2));
        var (_, scale) = await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale");
        Assert.Equal("Scale", scale!["kind"]!.GetValue<string>());
        Assert.Equal(2, scale["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("app=web", scale["status"]!["selector"]!.GetValue<string>());
        var (code, scaled) = await fixture.SendAsync(HttpMethod.Patch, $"/apis/apps/v1/namespaces/{ns}/deployments/web/scale", """{"spec":{"replicas":6}}""", "application/merge-patch+json");
        Assert.Equal(200, code);
        Assert.Equal(6, scaled!["spec"]!["replicas"]!.GetValue<int>());
        var (_, deployment) = await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments/web");
        Assert.Equal(6, deployment!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, deployment["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_binding_assigns_the_node_once()
    {
        var ns = await NewNamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", Pod("p"));
        var binding = """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"apiVersion":"v1","kind":"Node","name":"node-1"}}""";
        var (code, _) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", binding);
        Assert.Equal(201, code);
        var (_, pod) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p");
        Assert.Equal("node-1", pod!["spec"]!["nodeName"]!.GetValue<string>());
        Assert.Contains(pod["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "PodScheduled" && c["status"]!.GetValue<string>() == "True");
        var (again, status) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/p/binding", binding.Replace("node-1", "node-2", StringComparison.Ordinal));
        Assert.Equal(409, again);
        Assert.Contains("already assigned to node \"node-1\"", status!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scheduled_pod_is_deleted_gracefully_and_finalizers_hold_objects_until_removed()
    {
        var ns = await NewNamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", Pod("p", node: "node-1"));
        var (code, pod) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/p?dryRun=All");
        Assert.Equal(200, code);
        (_, pod) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p");
        Assert.Null(pod!["metadata"]!["deletionTimestamp"]);
        (code, pod) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/p");
        Assert.Equal(200, code);
        Assert.NotNull(pod!["metadata"]!["deletionTimestamp"]);
        Assert.Equal(30, pod["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<long>());
        var (still, _) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p");
        Assert.Equal(200, still);
        (code, _) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/p?gracePeriodSeconds=0");
        Assert.Equal(200, code);
        var (gone, _) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods/p");
        Assert.Equal(404, gone);

        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"held","finalizers":["example.com/hold"]}}""");
        var (_, held) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/held");
        Assert.NotNull(held!["metadata"]!["deletionTimestamp"]);
        (code, _) = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/held", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
        Assert.Equal(200, code);
        (gone, _) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/held");
        Assert.Equal(404, gone);
    }

    [Fact]
    public async Task Watch_streams_json_lines_in_order_and_ends_at_timeoutSeconds()
    {
        var ns = await NewNamespaceAsync();
        var (_, list) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        var rv = list!["metadata"]!["resourceVersion"]!.GetValue<string>();
        var watch = ReadWatchAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={rv}&timeoutSeconds=5", 3);
        await Task.Delay(300);
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"w"},"data":{"a":"1"}}""");
        await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/w", """{"data":{"a":"2"}}""", "application/merge-patch+json");
        await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/configmaps/w");
        var events = await watch;
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e["type"]!.GetValue<string>()));
        Assert.Equal("2", events[1]["object"]!["data"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_from_a_revision_older_than_the_watch_cache_reports_an_ERROR_event_with_410()
    {
        // The watch cache started with the apiserver, after revision 1: like Kubernetes' cacher it
        // cannot replay from before its window, whatever the store still holds.
        var ns = await NewNamespaceAsync();
        var events = await ReadWatchAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion=1&timeoutSeconds=5", 1);
        Assert.Equal("ERROR", events[0]["type"]!.GetValue<string>());
        Assert.Equal(410, events[0]["object"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_as_Table_prints_kubernetes_columns()
    {
        var ns = await NewNamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/apis/apps/v1/namespaces/{ns}/deployments", Deployment("web"));
        var (code, table) = await fixture.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{ns}/deployments",
            accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal(200, code);
        Assert.Equal("Table", table!["kind"]!.GetValue<string>());
        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"],
            table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal("web", cells[0]!.GetValue<string>());
        Assert.Equal("0/2", cells[1]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_and_metrics_answer()
    {
        foreach (var path in new[] { "/healthz", "/livez", "/readyz" })
        {
            var response = await fixture.Http.GetStringAsync(path);
            Assert.Equal("ok", response);
        }

        var verbose = await fixture.Http.GetStringAsync("/readyz?verbose");
        Assert.Contains("[+]etcd ok", verbose, StringComparison.Ordinal);
        await fixture.Http.GetStringAsync("/api/v1/namespaces");
        var metrics = await fixture.Http.GetStringAsync("/metrics");
        Assert.Contains("apiserver_request_total{verb=\"LIST\",group=\"\",version=\"v1\",resource=\"namespaces\"", metrics, StringComparison.Ordinal);
        Assert.Contains("etcd_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_what_is_in_it()
    {
        var ns = await NewNamespaceAsync();
        await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"c"}}""");
        var (code, terminating) = await fixture.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
        Assert.Equal(200, code);
        Assert.Equal("Terminating", terminating!["status"]!["phase"]!.GetValue<string>());
        var (refused, _) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", """{"metadata":{"name":"late"}}""");
        Assert.Equal(403, refused);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var (status, _) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}");
            if (status == 404)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("the namespace was not deleted within 15 s");
    }

    private async Task<List<JsonNode>> ReadWatchAsync(string path, int count)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<JsonNode>();
        while (events.Count < count && await reader.ReadLineAsync() is { } line)
        {
            events.Add(JsonNode.Parse(line)!);
        }

        return events;
    }
}

public sealed class RestOnMiniKubeTests(MiniKubeApiServerFixture fixture) : RestContractTests<MiniKubeApiServerFixture>(fixture);

public sealed class RestOnRealEtcdTests(RealEtcdApiServerFixture fixture) : RestContractTests<RealEtcdApiServerFixture>(fixture);
