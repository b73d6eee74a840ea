using System.CommandLine;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Api.Serialization;
using MiniKube.Api.Yaml;
using MiniKube.Client;

namespace MiniKube.Cli.Kube;

/// <summary><c>mkctl get TYPE [NAME…] | TYPE/NAME…</c>: the apiserver's Table, or the objects as yaml, json or names.</summary>
public static class GetVerb
{
    public static Command Create(KubeGlobalOptions global)
    {
        var args = new Argument<string[]>("resources") { Description = "TYPE [NAME...] or TYPE/NAME...", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Output format: json, yaml, wide or name." };
        output.AcceptOnlyFromAmong("json", "yaml", "wide", "name");
        var watch = new Option<bool>("--watch", "-w") { Description = "After listing/getting the requested object, watch for changes." };
        var selector = new Option<string?>("--selector", "-l") { Description = "Selector (label query) to filter on." };
        var fieldSelector = new Option<string?>("--field-selector") { Description = "Selector (field query) to filter on." };
        var allNamespaces = new Option<bool>("--all-namespaces", "-A") { Description = "List the requested object(s) across all namespaces." };
        var command = new Command("get", "Display one or many resources.") { args, output, watch, selector, fieldSelector, allNamespaces };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var format = parse.GetValue(output);
            var all = parse.GetValue(allNamespaces);
            var listOptions = new ListOptions { LabelSelector = parse.GetValue(selector), FieldSelector = parse.GetValue(fieldSelector) };
            var targets = ResourceNames.ParseArguments(parse.GetValue(args)!);
            var objects = new List<JsonObject>();
            var anyPrinted = false;
            foreach (var group in targets.GroupBy(t => t.Resource))
            {
                var resource = group.Key;
                var ns = resource.Namespaced && !all ? session.Namespace : null;
                var names = group.Select(t => t.Name).OfType<string>().ToList();
                if (format is "json" or "yaml" or "name")
                {
                    if (names.Count == 0)
                    {
                        var list = await session.Client.ListAsync(resource, ns, listOptions, token).ConfigureAwait(false);
                        objects.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>().Select(o => WithTypeMeta(o, resource)));
                    }
                    else
                    {
                        foreach (var name in names)
                        {
                            objects.Add(await session.Client.GetAsync(resource, ns, name, null, token).ConfigureAwait(false));
                        }
                    }

                    continue;
                }

                var tables = names.Count == 0
                    ? [await session.Client.GetTableAsync(resource, ns, null, listOptions, token).ConfigureAwait(false)]
                    : await Task.WhenAll(names.Select(n => session.Client.GetTableAsync(resource, ns, n, null, token))).ConfigureAwait(false);
                var merged = tables[0].DeepClone().AsObject();
                merged["rows"] = new JsonArray([.. tables.SelectMany(t => (t["rows"] as JsonArray ?? []).Select(r => r!.DeepClone()))]);
                if (((JsonArray)merged["rows"]!).Count > 0)
                {
                    if (anyPrinted)
                    {
                        await session.Output.WriteLineAsync().ConfigureAwait(false);
                    }

                    await session.Output.WriteAsync(TableWriter.Render(merged, format == "wide", all && resource.Namespaced)).ConfigureAwait(false);
                    anyPrinted = true;
                }
            }

            switch (format)
            {
                case "name":
                    foreach (var o in objects)
                    {
                        var r = ApiResources.FindByKind((string)o["apiVersion"]!, (string)o["kind"]!)!;
                        await session.Output.WriteLineAsync($"{ResourceNames.KindName(r)}/{o["metadata"]?["name"]}").ConfigureAwait(false);
                    }

                    break;
                case "json" or "yaml":
                    JsonNode doc = objects.Count == 1 && targets.All(t => t.Name is not null)
                        ? objects[0]
                        : new JsonObject { ["apiVersion"] = "v1", ["items"] = new JsonArray([.. objects]), ["kind"] = "List", ["metadata"] = new JsonObject { ["resourceVersion"] = "" } };
                    await session.Output.WriteAsync(format == "json" ? doc.ToJsonString(ApiJson.Indented) + "\n" : YamlWriter.Write(doc)).ConfigureAwait(false);
                    break;
                default:
                    if (!anyPrinted && targets.All(t => t.Name is null))
                    {
                        await session.Error.WriteLineAsync(all || !targets[0].Resource.Namespaced
                            ? "No resources found"
                            : $"No resources found in {session.Namespace} namespace.").ConfigureAwait(false);
                    }

                    break;
            }

            if (parse.GetValue(watch))
            {
                await WatchAsync(session, targets[0].Resource, targets[0].Resource.Namespaced && !all ? session.Namespace : null, listOptions, format, token).ConfigureAwait(false);
            }

            return 0;
        }, ct));
        return command;
    }

    /// <summary>-w: one line per change, as the Table row of the changed object (or its name, for -o name).</summary>
    private static async Task WatchAsync(KubeSession session, ApiResource resource, string? ns, ListOptions listOptions, string? format, CancellationToken cancellationToken)
    {
        var list = await session.Client.ListAsync(resource, ns, listOptions with { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        var from = (string?)list["metadata"]?["resourceVersion"];
        try
        {
            await foreach (var e in session.Client.WatchAsync(resource, ns, listOptions with { ResourceVersion = from }, cancellationToken).ConfigureAwait(false))
            {
                if (e.Object is not JsonObject obj || e.Type is Api.Meta.WatchEvent.Bookmark or Api.Meta.WatchEvent.Error)
                {
                    continue;
                }

                var name = (string?)obj["metadata"]?["name"] ?? "";
                if (format == "name" || e.Type == Api.Meta.WatchEvent.Deleted)
                {
                    await session.Output.WriteLineAsync($"{ResourceNames.KindName(resource)}/{name}").ConfigureAwait(false);
                    continue;
                }

                var objNs = (string?)obj["metadata"]?["namespace"];
                var table = await session.Client.GetTableAsync(resource, objNs, name, null, cancellationToken).ConfigureAwait(false);
                await session.Output.WriteAsync(TableWriter.Render(table, format == "wide", ns is null && resource.Namespaced, withHeader: false)).ConfigureAwait(false);
                await session.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C ends a watch; that is success.
        }
    }

    private static JsonObject WithTypeMeta(JsonObject item, ApiResource resource)
    {
        var copy = new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind };
        foreach (var (key, value) in item)
        {
            if (key is not ("apiVersion" or "kind"))
            {
                copy[key] = value?.DeepClone();
            }
        }

        return copy;
    }
}
