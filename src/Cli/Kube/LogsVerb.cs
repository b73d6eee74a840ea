using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;
using MiniKube.Client;

namespace MiniKube.Cli.Kube;

/// <summary><c>mkctl logs POD [-c CONTAINER] [-f] [--tail N]</c>: the text of <c>pods/{name}/log</c>, streamed as it
/// comes (the apiserver proxies it from the node agent that runs the pod).</summary>
public static class LogsVerb
{
    public static Command Create(KubeGlobalOptions global)
    {
        var pod = new Argument<string>("pod") { Description = "POD or pod/POD" };
        var container = new Option<string?>("--container", "-c") { Description = "Print the logs of this container." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Specify if the logs should be streamed." };
        var tail = new Option<long>("--tail") { Description = "Lines of recent log file to display. Defaults to -1, showing all log lines.", DefaultValueFactory = _ => -1 };
        var previous = new Option<bool>("--previous", "-p") { Description = "Print the logs for the previous instance of the container in a pod if it exists." };
        var command = new Command("logs", "Print the logs for a container in a pod.") { pod, container, follow, tail, previous };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var name = parse.GetValue(pod)!;
            if (name.StartsWith("pod/", StringComparison.Ordinal) || name.StartsWith("pods/", StringComparison.Ordinal))
            {
                name = name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..];
            }

            var query = new List<string>();
            if (parse.GetValue(container) is { Length: > 0 } c)
            {
                query.Add("container=" + Uri.EscapeDataString(c));
            }

            if (parse.GetValue(follow))
            {
                query.Add("follow=true");
            }

            if (parse.GetValue(tail) >= 0)
            {
                query.Add("tailLines=" + parse.GetValue(tail).ToString(CultureInfo.InvariantCulture));
            }

            if (parse.GetValue(previous))
            {
                query.Add("previous=true");
            }

            var path = KubeClient.PathFor(Api.Resources.ApiResources.Pods, session.Namespace, name, "log") + (query.Count > 0 ? "?" + string.Join('&', query) : "");
            using var http = new HttpClient { BaseAddress = session.Client.Config.Server, Timeout = Timeout.InfiniteTimeSpan };
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorAsync(response, token).ConfigureAwait(false);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false));
            var buffer = new char[8192];
            int read;
            try
            {
                while ((read = await reader.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                {
                    await session.Output.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                    await session.Output.FlushAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Ctrl+C ends -f.
            }

            return 0;
        }, ct));
        return command;
    }

    private static async Task<KubeApiException> ErrorAsync(HttpResponseMessage response, CancellationToken token)
    {
        var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
        try
        {
            if (JsonNode.Parse(text) is JsonObject obj && (string?)obj["kind"] == "Status")
            {
                return new KubeApiException(ApiJson.FromNode<Status>(obj));
            }
        }
        catch (JsonException)
        {
            // not a Status: made up below from the HTTP answer
        }

        var code = (int)response.StatusCode;
        return new KubeApiException(new Status
        {
            Code = code,
            Reason = response.StatusCode == HttpStatusCode.NotFound ? "NotFound" : response.StatusCode.ToString(),
            Message = string.IsNullOrWhiteSpace(text) ? $"the server responded with the status code {code}" : text.Trim(),
        });
    }
}
