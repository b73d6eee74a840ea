using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Api.Yaml;
using MiniKube.Client;
using MiniKube.Etcd.Api;

namespace MiniKube.Cli.Kube;

/// <summary><c>mkctl rollout status|history|undo|restart deployment/NAME</c>, as kubectl's.</summary>
public static class RolloutVerb
{
    private static readonly string[] HistoryHeader = ["REVISION", "CHANGE-CAUSE"];

    public static Command Create(KubeGlobalOptions global, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var command = new Command("rollout", "Manage the rollout of a deployment.");
        command.Subcommands.Add(Status(global, time));
        command.Subcommands.Add(History(global));
        command.Subcommands.Add(Undo(global));
        command.Subcommands.Add(Restart(global, time));
        return command;
    }

    private static Argument<string[]> ResourceArgument() => new("resource") { Description = "deployment/NAME or deployment NAME", Arity = new ArgumentArity(1, 2) };

    private static string DeploymentName(string[] args)
    {
        var (resource, name) = ResourceNames.ParseArguments(args).Single();
        if (resource != ApiResources.Deployments)
        {
            throw new KubeCommandException($"no rollout support for {ResourceNames.KindName(resource)} (this mkctl rolls out deployments)");
        }

        return name ?? throw new KubeCommandException("required resource not specified");
    }

    private static Command Status(KubeGlobalOptions global, TimeProvider time)
    {
        var args = ResourceArgument();
        var watch = new Option<bool>("--watch", "-w") { Description = "Watch the status of the rollout until it's done.", DefaultValueFactory = _ => true };
        var timeout = new Option<string>("--timeout") { Description = "The length of time to wait before ending watch, zero means never.", DefaultValueFactory = _ => "0s" };
        var command = new Command("status", "Show the status of the rollout.") { args, watch, timeout };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var name = DeploymentName(parse.GetValue(args)!);
            var limit = GoDuration.Parse(parse.GetValue(timeout)!);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (limit > TimeSpan.Zero)
            {
                deadline.CancelAfter(limit);
            }

            var bar = session.Output == Console.Out && !Console.IsOutputRedirected;
            string? last = null;
            try
            {
                while (true)
                {
                    var deployment = await session.Client.GetAsync(ApiResources.Deployments, session.Namespace, name, null, deadline.Token).ConfigureAwait(false);
                    var (message, done) = DeploymentRollout.Status(deployment);
                    if (bar)
                    {
                        var (n, total) = DeploymentRollout.Progress(deployment);
                        await session.Output.WriteAsync($"\r\u001b[K{ProgressBar(n, total, 20)} {message}").ConfigureAwait(false);
                    }
                    else if (message != last)
                    {
                        await session.Output.WriteLineAsync(message).ConfigureAwait(false);
                    }

                    last = message;
                    if (done || !parse.GetValue(watch))
                    {
                        if (bar)
                        {
                            await session.Output.WriteLineAsync().ConfigureAwait(false);
                        }

                        return 0;
                    }

                    // Polling, where kubectl watches: a fraction of a second late at worst, and no watch to restart.
                    await Task.Delay(TimeSpan.FromMilliseconds(250), time, deadline.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !token.IsCancellationRequested)
            {
                throw new KubeCommandException("timed out waiting for the condition");
            }
        }, ct));
        return command;
    }

    private static Command History(KubeGlobalOptions global)
    {
        var args = ResourceArgument();
        var revision = new Option<long>("--revision") { Description = "See the details, including podTemplate of the revision specified." };
        var command = new Command("history", "View previous rollout revisions and configurations.") { args, revision };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var name = DeploymentName(parse.GetValue(args)!);
            var (_, history) = await LoadHistoryAsync(session, name, token).ConfigureAwait(false);
            var wanted = parse.GetValue(revision);
            if (wanted > 0)
            {
                var rs = history.GetValueOrDefault(wanted) ?? throw new KubeCommandException($"unable to find the specified revision");
                var template = rs["spec"]?["template"]?.DeepClone() as JsonObject ?? [];
                (template["metadata"]?["labels"] as JsonObject)?.Remove(DeploymentRollout.PodTemplateHashLabel);
                var text = new StringBuilder($"deployment.apps/{name} with revision #{wanted}\nPod Template:\n");
                foreach (var line in YamlWriter.Write(template).TrimEnd('\n').Split('\n'))
                {
                    text.Append("  ").Append(line).Append('\n');
                }

                await session.Output.WriteAsync(text.ToString()).ConfigureAwait(false);
                return 0;
            }

            var rows = new List<string[]> { HistoryHeader };
            rows.AddRange(history.Select(kv => new[]
            {
                kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (string?)kv.Value["metadata"]?["annotations"]?[DeploymentRollout.ChangeCauseAnnotation] ?? "<none>",
            }));
            await session.Output.WriteAsync($"deployment.apps/{name} \n{TableWriter.Render(rows)}\n").ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static Command Undo(KubeGlobalOptions global)
    {
        var args = ResourceArgument();
        var toRevision = new Option<long>("--to-revision") { Description = "The revision to rollback to. Default to 0 (last revision)." };
        var command = new Command("undo", "Undo a previous rollout.") { args, toRevision };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var name = DeploymentName(parse.GetValue(args)!);
            var (deployment, history) = await LoadHistoryAsync(session, name, token).ConfigureAwait(false);
            var (patch, message) = DeploymentRollout.Rollback(deployment, history, parse.GetValue(toRevision));
            if (patch is not null)
            {
                await session.Client.PatchAsync(ApiResources.Deployments, session.Namespace, name, PatchType.Json, patch, cancellationToken: token).ConfigureAwait(false);
            }

            await session.Output.WriteLineAsync(patch is null ? $"deployment.apps/{name} {message}" : $"deployment.apps/{name} rolled back").ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static Command Restart(KubeGlobalOptions global, TimeProvider time)
    {
        var args = ResourceArgument();
        var command = new Command("restart", "Restart a resource: its pods are replaced by a rolling update.") { args };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var name = DeploymentName(parse.GetValue(args)!);
            var deployment = await session.Client.GetAsync(ApiResources.Deployments, session.Namespace, name, null, token).ConfigureAwait(false);
            if ((bool?)deployment["spec"]?["paused"] == true)
            {
                throw new KubeCommandException($"deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)");
            }

            await session.Client.PatchAsync(ApiResources.Deployments, session.Namespace, name, PatchType.StrategicMerge, DeploymentRollout.RestartPatch(time.GetUtcNow()), cancellationToken: token).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"deployment.apps/{name} restarted").ConfigureAwait(false);
            return 0;
        }, ct));
        return command;
    }

    private static async Task<(JsonObject Deployment, SortedDictionary<long, JsonObject> History)> LoadHistoryAsync(KubeSession session, string name, CancellationToken token)
    {
        var deployment = await session.Client.GetAsync(ApiResources.Deployments, session.Namespace, name, null, token).ConfigureAwait(false);
        var list = await session.Client.ListAsync(ApiResources.ReplicaSets, session.Namespace, null, token).ConfigureAwait(false);
        return (deployment, DeploymentRollout.ByRevision(deployment, (list["items"] as JsonArray ?? []).OfType<JsonObject>()));
    }

    private static string ProgressBar(int done, int total, int width)
    {
        var filled = total <= 0 ? width : Math.Clamp(done * width / total, 0, width);
        return $"[{new string('#', filled)}{new string('.', width - filled)}] {done}/{total}";
    }
}
