namespace MiniKube.ApiServer;

/// <summary>The apiserver's own loops (compaction, namespace cleanup): started with it, stopped and awaited on disposal.</summary>
public sealed class BackgroundLoops(ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public void Start(Func<CancellationToken, Task> loop)
        => _loops.Add(Task.Run(async () =>
        {
            try
            {
                await loop(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                logger.LogError(e, "a background loop of the apiserver failed");
            }
        }));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }
}
