using System.Text;
using MiniKube.ApiServer.Storage;

namespace MiniKube.ApiServer;

/// <summary>
/// /healthz, /livez and /readyz as kube-apiserver answers them: "ok", or a list of checks with
/// [+]/[-] when verbose or failing. The etcd check reads the store; liveness does not need it.
/// </summary>
public sealed class StoreHealth(Etcd3Storage storage)
{
    private static readonly string[] Checks = ["ping", "log", "etcd"];

    public async Task WriteAsync(HttpContext context, bool needsStore, bool verbose)
    {
        var etcdOk = !needsStore || await StoreAnswersAsync(context.RequestAborted).ConfigureAwait(false);
        var body = new StringBuilder();
        if (verbose || !etcdOk)
        {
            foreach (var check in Checks)
            {
                var ok = check != "etcd" || etcdOk;
                body.Append(ok ? $"[+]{check} ok\n" : $"[-]{check} failed: reason withheld\n");
            }

            body.Append(etcdOk ? "healthz check passed\n" : "healthz check failed\n");
        }
        else
        {
            body.Append("ok");
        }

        context.Response.StatusCode = etcdOk ? 200 : 500;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(body.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    public async Task WriteOneAsync(HttpContext context, string name)
    {
        if (!Checks.Contains(name))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("404 page not found\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var ok = name != "etcd" || await StoreAnswersAsync(context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = ok ? 200 : 500;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(ok ? "ok" : $"internal server error: {name} check failed", context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<bool> StoreAnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await storage.CurrentRevisionAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is StorageException or OperationCanceledException or MiniKube.Etcd.Client.EtcdException)
        {
            return false;
        }
    }
}
