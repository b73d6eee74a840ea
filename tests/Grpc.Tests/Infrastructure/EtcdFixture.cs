using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;

namespace MiniKube.Grpc.Tests.Infrastructure;

/// <summary>A real single-member etcd 3.4 on loopback ports, in a temporary data directory.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public const string EtcdPath = "/usr/bin/etcd";

    public static readonly Method<PutRequest, PutResponse> Put = new("etcdserverpb.KV", "Put", PutResponse.Parser);
    public static readonly Method<RangeRequest, RangeResponse> Range = new("etcdserverpb.KV", "Range", RangeResponse.Parser);
    public static readonly Method<WatchRequest, WatchResponse> Watch = new("etcdserverpb.Watch", "Watch", WatchResponse.Parser);
    public static readonly Method<SnapshotRequest, SnapshotResponse> Snapshot = new("etcdserverpb.Maintenance", "Snapshot", SnapshotResponse.Parser);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "minikube-grpc-etcd-" + Guid.NewGuid().ToString("N"));
    private Process? _process;
    private GrpcChannel? _channel;

    public Uri Address { get; private set; } = null!;

    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        var clientUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var peerUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo(EtcdPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--data-dir", _dataDirectory,
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", $"default={peerUrl}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        // Drained so that etcd never blocks on a full pipe; its log is of no interest here.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Address = new Uri(clientUrl);
        _channel = GrpcChannel.ForAddress(Address);
        await WaitUntilServingAsync();
    }

    private async Task WaitUntilServingAsync()
    {
        var giveUp = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                await Channel.UnaryAsync(Range, new RangeRequest { Key = ByteString.CopyFromUtf8("ready") }, new CallOptions(Deadline: DateTime.UtcNow.AddSeconds(1)));
                return;
            }
            catch (RpcException) when (DateTime.UtcNow < giveUp && !_process!.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
