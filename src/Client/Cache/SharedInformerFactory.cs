using MiniKube.Api.Meta;

namespace MiniKube.Client.Cache;

/// <summary>
/// One <see cref="SharedInformer{T}"/> per type for a whole process (client-go's SharedInformerFactory), so that
/// a scheduler and a controller asking for pods share one list+watch and one cache.
/// </summary>
public sealed class SharedInformerFactory(KubeClient client, ReflectorOptions? defaults = null) : IAsyncDisposable
{
    private readonly Dictionary<Type, IAsyncDisposable> _informers = [];
    private readonly List<Action> _starts = [];
    private readonly List<Func<CancellationToken, Task<bool>>> _waits = [];

    /// <summary>The informer of <typeparamref name="T"/>, made on first use with the factory's options.</summary>
    public SharedInformer<T> For<T>()
        where T : class, IKubernetesObject
    {
        lock (_informers)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                return (SharedInformer<T>)existing;
            }

            var informer = new SharedInformer<T>(client, defaults);
            _informers[typeof(T)] = informer;
            _starts.Add(informer.Start);
            _waits.Add(informer.WaitForCacheSyncAsync);
            return informer;
        }
    }

    /// <summary>Starts every informer asked for so far (those already running are left alone).</summary>
    public void Start()
    {
        lock (_informers)
        {
            foreach (var start in _starts)
            {
                start();
            }
        }
    }

    /// <summary>True once every informer asked for so far has synced.</summary>
    public async Task<bool> WaitForCacheSyncAsync(CancellationToken cancellationToken)
    {
        List<Func<CancellationToken, Task<bool>>> waits;
        lock (_informers)
        {
            waits = [.. _waits];
        }

        var results = await Task.WhenAll(waits.Select(w => w(cancellationToken))).ConfigureAwait(false);
        return results.All(r => r);
    }

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> informers;
        lock (_informers)
        {
            informers = [.. _informers.Values];
        }

        foreach (var informer in informers)
        {
            await informer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
