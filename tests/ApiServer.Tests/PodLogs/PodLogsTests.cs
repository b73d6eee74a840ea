using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniKube.ApiServer.Tests.Rest;

namespace MiniKube.ApiServer.Tests.PodLogs;

/// <summary>
/// pods/log against a fake node: a Kestrel server standing in for the node agent's /containerLogs, which echoes what
/// it was asked for, so the tests see the container chosen, the query passed on, the errors and the streaming.
/// </summary>
public sealed class PodLogsTests(MiniKubeApiServerFixture fixture) : IClassFixture<MiniKubeApiServerFixture>, IAsyncLifetime
{
    private WebApplication? _node;
    private int _nodePort;
    private string _ns = "";
    private readonly string _nodeName = $"fake-{Guid.NewGuid():N}"[..13];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _node = builder.Build();
        _node.MapGet("/containerLogs/{ns}/{pod}/{container}", async (HttpContext c, string ns, string pod, string container) =>
        {
            if (container == "waiting")
            {
                c.Response.StatusCode = 400;
                await c.Response.WriteAsync($"container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating");
                return;
            }

            c.Response.ContentType = "text/plain";
            await c.Response.WriteAsync($"{ns}/{pod}/{container}{c.Request.QueryString}\n");
            if (c.Request.Query["follow"] == "true")
            {
                await c.Response.Body.FlushAsync();
                await c.Response.WriteAsync("more\n");
            }
        });
        await _node.StartAsync();
        _nodePort = new Uri(_node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        var (code, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/nodes", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = _nodeName },
        }.ToJsonString());
        Assert.True(code == 201, body?.ToJsonString());
        (code, body) = await fixture.SendAsync(HttpMethod.Patch, $"/api/v1/nodes/{_nodeName}/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "Hostname", ["address"] = "no-such-host.invalid" },
                    new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = _nodePort } },
            },
        }.ToJsonString(), "application/merge-patch+json");
        Assert.True(code == 200, body?.ToJsonString());

        _ns = $"logs-{Guid.NewGuid():N}"[..14];
        (code, body) = await fixture.SendAsync(HttpMethod.Post, "/api/v1/namespaces",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = _ns } }.ToJsonString());
        Assert.True(code == 201, body?.ToJsonString());
    }

    private async Task CreatePodAsync(string name, string? node, params string[] containers)
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" })]),
        };
        if (node is not null)
        {
            spec["nodeName"] = node;
        }

        var (code, body) = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{_ns}/pods",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec }.ToJsonString());
        Assert.True(code == 201, body?.ToJsonString());
    }

    private async Task<(int Code, string Text, string? ContentType)> GetAsync(string path)
    {
        using var response = await fixture.Http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Log_of_the_only_container_is_proxied_to_its_node_as_text()
    {
        await CreatePodAsync("one", _nodeName, "app");

        var (code, text, type) = await GetAsync($"/api/v1/namespaces/{_ns}/pods/one/log");

        Assert.Equal(200, code);
        Assert.Equal("text/plain", type);
        Assert.Equal($"{_ns}/one/app\n", text);
    }

    [Fact]
    public async Task Log_options_are_passed_on_to_the_node()
    {
        await CreatePodAsync("opts", _nodeName, "app", "sidecar");

        var (code, text, _) = await GetAsync($"/api/v1/namespaces/{_ns}/pods/opts/log?container=sidecar&tailLines=5&timestamps=true&previous=false&follow=true");

        Assert.Equal(200, code);
        Assert.Equal($"{_ns}/opts/sidecar?follow=true&timestamps=true&tailLines=5\nmore\n", text);
    }

    [Fact]
    public async Task Log_without_a_container_name_of_a_pod_with_several_is_a_bad_request()
    {
        await CreatePodAsync("two", _nodeName, "a", "b");

        var (code, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/pods/two/log");

        Assert.Equal(400, code);
        Assert.Equal("BadRequest", body!["reason"]!.GetValue<string>());
        Assert.Equal("a container name must be specified for pod two, choose one of: [a b]", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Log_of_a_container_the_pod_lacks_is_a_bad_request()
    {
        await CreatePodAsync("lacks", _nodeName, "app");

        var (code, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/pods/lacks/log?container=nope");

        Assert.Equal(400, code);
        Assert.Equal("container nope is not valid for pod lacks", body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Node_errors_come_back_as_a_Status_with_the_nodes_message()
    {
        await CreatePodAsync("wait", _nodeName, "waiting");

        var (code, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/pods/wait/log");

        Assert.Equal(400, code);
        Assert.Equal("Status", body!["kind"]!.GetValue<string>());
        Assert.Equal("container \"waiting\" in pod \"wait\" is waiting to start: ContainerCreating", body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Log_of_an_unscheduled_pod_is_empty_and_of_a_missing_pod_is_not_found()
    {
        await CreatePodAsync("pending", null, "app");

        var (code, text, _) = await GetAsync($"/api/v1/namespaces/{_ns}/pods/pending/log");
        Assert.Equal(200, code);
        Assert.Equal("", text);

        var (missing, body) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/pods/ghost/log");
        Assert.Equal(404, missing);
        Assert.Equal("NotFound", body!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_tailLines_is_a_bad_request()
    {
        await CreatePodAsync("tail", _nodeName, "app");

        var (code, _) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/pods/tail/log?tailLines=abc");

        Assert.Equal(400, code);
    }

    [Fact]
    public async Task Discovery_advertises_pods_log()
    {
        var (_, core) = await fixture.SendAsync(HttpMethod.Get, "/api/v1");

        var log = core!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "pods/log");
        Assert.Equal(["get"], log!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
