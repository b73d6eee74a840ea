using MiniKube.Testing;

namespace MiniKube.Store.Integration.Tests.Etcdctl;

/// <summary>
/// A fresh real etcd and a fresh store, side by side. Every test sends both the same commands in
/// the same order (etcd first), so both see the same sequence of writes and their revisions
/// match exactly, whatever order the tests run in.
/// </summary>
public sealed class EtcdctlFixture : IAsyncLifetime
{
    private RealEtcd? _etcd;
    private MiniKubeStore? _store;

    public IEtcdServer Etcd => _etcd ?? throw new InvalidOperationException("not started");

    public IEtcdServer Store => _store ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var etcd = RealEtcd.StartAsync();
        var store = MiniKubeStore.StartAsync();
        _etcd = await etcd;
        _store = await store;
    }

    public async Task DisposeAsync()
    {
        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="scenario"/> against etcd, then the store; returns both transcripts.</summary>
    public async Task<(string Etcd, string Store)> BothAsync(Func<EtcdctlTranscript, Task> scenario)
    {
        var etcd = new EtcdctlTranscript(Etcd);
        var store = new EtcdctlTranscript(Store);

        // The store runs the scenario even when it failed on etcd, so that both stay at the same revision for later tests.
        Exception? failure = null;
        foreach (var transcript in new[] { etcd, store })
        {
            try
            {
                await scenario(transcript);
            }
            catch (Exception e)
            {
                failure ??= new InvalidOperationException($"the scenario failed against {transcript.Server.Kind}:\n{transcript}", e);
            }
        }

        return failure is null ? (etcd.ToString(), store.ToString()) : throw failure;
    }
}
