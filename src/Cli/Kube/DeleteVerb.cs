using System.CommandLine;
using System.Text.Json.Nodes;
using MiniKube.Api.Meta;
using MiniKube.Api.Resources;
using MiniKube.Client;

namespace MiniKube.Cli.Kube;

/// <summary><c>mkctl delete (-f FILE | TYPE NAME… | TYPE/NAME… | TYPE -l SELECTOR)</c>.</summary>
public static class DeleteVerb
{
    public static Command Create(KubeGlobalOptions global, Func<TextReader> stdin)
    {
        var args = new Argument<string[]>("resources") { Description = "TYPE [NAME...] or TYPE/NAME...", Arity = ArgumentArity.ZeroOrMore };
        var files = new Option<string[]>("--filename", "-f") { Description = "The files that contain the resources to delete.", AllowMultipleArgumentsPerToken = true };
        var selector = new Option<string?>("--selector", "-l") { Description = "Selector (label query) to filter on." };
        var cascade = new Option<string>("--cascade") { Description = "background, foreground or orphan.", DefaultValueFactory = _ => "background" };
        cascade.AcceptOnlyFromAmong("background", "foreground", "orphan");
        var grace = new Option<int>("--grace-period") { Description = "Seconds given to the resource to terminate gracefully; -1: its default.", DefaultValueFactory = _ => -1 };
        var command = new Command("delete", "Delete resources by file names, stdin, resources and names, or by resources and label selector.") { args, files, selector, cascade, grace };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var options = new DeleteOptions
            {
                PropagationPolicy = parse.GetValue(cascade) switch { "foreground" => "Foreground", "orphan" => "Orphan", _ => "Background" },
                GracePeriodSeconds = parse.GetValue(grace) is >= 0 and var g ? g : null,
            };
            var targets = new List<(ApiResource Resource, string? Namespace, string Name)>();
            if (parse.GetValue(files) is { Length: > 0 } paths)
            {
                foreach (var obj in Manifests.Read(paths, stdin))
                {
                    var r = ApiResources.FindByKind((string)obj["apiVersion"]!, (string)obj["kind"]!)
                        ?? throw new KubeCommandException($"resource mapping not found for kind \"{obj["kind"]}\"");
                    targets.Add((r, r.Namespaced ? (string?)obj["metadata"]?["namespace"] ?? session.Namespace : null, (string)obj["metadata"]!["name"]!));
                }
            }
            else
            {
                foreach (var (resource, name) in ResourceNames.ParseArguments(parse.GetValue(args) ?? []))
                {
                    var ns = resource.Namespaced ? session.Namespace : null;
                    if (name is not null)
                    {
                        targets.Add((resource, ns, name));
                        continue;
                    }

                    if (parse.GetValue(selector) is not { } labels)
                    {
                        throw new KubeCommandException("resource(s) were provided, but no name was specified");
                    }

                    var list = await session.Client.ListAsync(resource, ns, new ListOptions { LabelSelector = labels }, token).ConfigureAwait(false);
                    targets.AddRange((list["items"] as JsonArray ?? []).Select(i => (resource, ns, (string)i!["metadata"]!["name"]!)));
                }
            }

            if (targets.Count == 0)
            {
                await session.Output.WriteLineAsync("No resources found").ConfigureAwait(false);
                return 0;
            }

            var failed = false;
            foreach (var (resource, ns, name) in targets)
            {
                try
                {
                    await session.Client.DeleteAsync(resource, ns, name, options, token).ConfigureAwait(false);
                    await session.Output.WriteLineAsync($"{ResourceNames.KindName(resource)} \"{name}\" deleted").ConfigureAwait(false);
                }
                catch (KubeApiException e)
                {
                    // kubectl reports each failure and goes on with the rest.
                    await session.Error.WriteLineAsync($"Error from server ({e.Reason}): {e.Status.Message}").ConfigureAwait(false);
                    failed = true;
                }
            }

            return failed ? KubeSession.ExitError : 0;
        }, ct));
        return command;
    }
}
