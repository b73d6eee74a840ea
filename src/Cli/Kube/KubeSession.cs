using System.CommandLine;
using MiniKube.Client;
using MiniKube.Client.Config;

namespace MiniKube.Cli.Kube;

/// <summary>
/// What one kubectl-style command runs with: a client for the kubeconfig's context, the namespace to use, the
/// output writers, and failures that read like kubectl's (<c>Error from server (NotFound): …</c>, exit 1).
/// </summary>
public sealed class KubeSession : IDisposable
{
    public const int ExitError = 1;

    private KubeSession(KubeClient client, string @namespace, bool explicitNamespace, ParseResult parse)
    {
        Client = client;
        Namespace = @namespace;
        ExplicitNamespace = explicitNamespace;
        Output = parse.InvocationConfiguration.Output;
        Error = parse.InvocationConfiguration.Error;
    }

    public KubeClient Client { get; }

    /// <summary>-n, else the context's namespace, else "default".</summary>
    public string Namespace { get; }

    /// <summary>True when -n was given (then a manifest naming another namespace is an error, as in kubectl).</summary>
    public bool ExplicitNamespace { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public static async Task<int> RunAsync(ParseResult parse, KubeGlobalOptions global, Func<KubeSession, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var config = Kubeconfig.Load(global.KubeconfigPath(parse)).Resolve(parse.GetValue(global.Context));
            var ns = parse.GetValue(global.Namespace);
            using var session = new KubeSession(new KubeClient(config), string.IsNullOrEmpty(ns) ? config.Namespace : ns, !string.IsNullOrEmpty(ns), parse);
            return await body(session, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e)
        {
            await error.WriteLineAsync($"Error from server ({e.Reason}): {e.Status.Message}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeconfigException or KubeCommandException or IOException or System.Text.Json.JsonException or Api.Yaml.YamlParseException)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"The connection to the server was refused - did you specify the right host or port? ({e.Message})").ConfigureAwait(false);
        }

        return ExitError;
    }

    public void Dispose() => Client.Dispose();
}
