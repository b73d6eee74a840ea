using MiniKube.Client.Queues;

namespace MiniKube.Controllers.Common;

/// <summary>
/// The worker side of a controller (sample-controller's runWorker/processNextWorkItem): take a key, sync it,
/// Forget it on success or AddRateLimited on failure, always Done. The queue is shut down when cancelled.
/// </summary>
public static class WorkerLoop
{
    public static async Task RunAsync(string controller, RateLimitingQueue<string> queue, int workers,
        Func<string, CancellationToken, Task> sync, CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(queue.ShutDown);
        var loops = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (key, shutdown) = await queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
                if (shutdown)
                {
                    return;
                }

                try
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        continue;
                    }

                    await sync(key, cancellationToken).ConfigureAwait(false);
                    queue.Forget(key);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
                catch (Exception e)
                {
                    await Console.Error.WriteLineAsync($"{controller}: error syncing \"{key}\", requeuing: {e.Message}").ConfigureAwait(false);
                    queue.AddRateLimited(key);
                }
                finally
                {
                    queue.Done(key);
                }
            }
        }, CancellationToken.None)).ToList();
        await Task.WhenAll(loops).ConfigureAwait(false);
    }
}
