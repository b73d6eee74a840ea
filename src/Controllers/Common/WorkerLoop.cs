using MiniKube.Client.Queues;

namespace MiniKube.Controllers.Common;

/// <summary>
/// The worker side of a controller (sample-controller's runWorker/processNextWorkItem): take a key, sync it,
/// Forget it on success or AddRateLimited on failure, always Done. The queue is shut down when cancelled.
/// </summary>
public static class WorkerLoop
{
    /// <param name="maxRetries">After this many failed syncs in a row a key is dropped (Forget) until the next change
    /// adds it again, as the deployment controller's maxRetries; by default a key is retried for ever.</param>
    /// <param name="log">Where failed syncs are reported; standard error by default.</param>
    public static async Task RunAsync(string controller, RateLimitingQueue<string> queue, int workers,
        Func<string, CancellationToken, Task> sync, CancellationToken cancellationToken, int maxRetries = int.MaxValue, Action<string>? log = null)
    {
        log ??= message => Console.Error.WriteLine(message);
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
                catch (Exception e) when (queue.NumRequeues(key) < maxRetries)
                {
                    log($"{controller}: error syncing \"{key}\", requeuing: {e.Message}");
                    queue.AddRateLimited(key);
                }
                catch (Exception e)
                {
                    log($"{controller}: dropping \"{key}\" out of the queue after {maxRetries} retries: {e.Message}");
                    queue.Forget(key);
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
