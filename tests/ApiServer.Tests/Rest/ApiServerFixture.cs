using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MiniKube.Etcd.Client;
using MiniKube.Testing;

namespace MiniKube.ApiServer.Tests.Rest;

/// <summary>A store (MiniKube's or a real etcd) and an apiserver in this process in front of it, for one test class.</summary>
public abstract class ApiServerFixture : IAsyncLifetime
{
    private IEtcdServer? _store;
    private ApiServerHost? _host;

    public IEtcdServer Store => _store ?? throw new InvalidOperationException("not started");

    public ApiServerHost Host => _host ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public EtcdClient Etcd { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _store = await StartStoreAsync();
        _host = await ApiServerHost.StartAsync(new ApiServerOptions
        {
            EtcdServers = [_store.ClientUrl],
            InsecurePort = 0,
            CompactionInterval = TimeSpan.Zero,
            BookmarkInterval = TimeSpan.FromSeconds(1),
        });
        Http.BaseAddress = _host.Url;
        Etcd = new EtcdClient(new EtcdClientOptions { Endpoints = [_store.ClientUrl], DefaultRequestTimeout = TimeSpan.FromSeconds(10) });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await Etcd.DisposeAsync();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected abstract Task<IEtcdServer> StartStoreAsync();

    /// <summary>Sends a request and returns the status code and the parsed JSON body (null when not JSON).</summary>
    public async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return ((int)response.StatusCode, json);
    }
}

public sealed class MiniKubeApiServerFixture : ApiServerFixture
{
    protected override async Task<IEtcdServer> StartStoreAsync() => await MiniKubeStore.StartAsync();
}

public sealed class RealEtcdApiServerFixture : ApiServerFixture
{
    protected override async Task<IEtcdServer> StartStoreAsync() => await RealEtcd.StartAsync();
}
