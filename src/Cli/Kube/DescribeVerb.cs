using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Api.Yaml;
using MiniKube.Client;

namespace MiniKube.Cli.Kube;

/// <summary>
/// <c>mkctl describe TYPE NAME | TYPE/NAME</c>: kubectl's header (Name, Namespace, Labels, Annotations,
/// CreationTimestamp), then the spec and status in kubectl's "Key: value" indentation. The last-applied annotation
/// is left out, as kubectl leaves it out.
/// </summary>
public static class DescribeVerb
{
    public static Command Create(KubeGlobalOptions global)
    {
        var args = new Argument<string[]>("resources") { Description = "TYPE NAME or TYPE/NAME", Arity = ArgumentArity.OneOrMore };
        var command = new Command("describe", "Show details of a specific resource.") { args };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var first = true;
            foreach (var (resource, name) in ResourceNames.ParseArguments(parse.GetValue(args)!))
            {
                var ns = resource.Namespaced ? session.Namespace : null;
                var objects = new List<JsonObject>();
                if (name is null)
                {
                    var list = await session.Client.ListAsync(resource, ns, null, token).ConfigureAwait(false);
                    objects.AddRange((list["items"] as JsonArray ?? []).OfType<JsonObject>());
                }
                else
                {
                    objects.Add(await session.Client.GetAsync(resource, ns, name, null, token).ConfigureAwait(false));
                }

                foreach (var obj in objects)
                {
                    if (!first)
                    {
                        await session.Output.WriteLineAsync().ConfigureAwait(false);
                    }

                    first = false;
                    await session.Output.WriteAsync(Describe(obj)).ConfigureAwait(false);
                    if (resource != ApiResources.Events)
                    {
                        var events = await session.Client.ListAsync(ApiResources.Events, (string?)obj["metadata"]?["namespace"] ?? "default",
                            new ListOptions { FieldSelector = EventsSection.FieldSelector(obj) }, token).ConfigureAwait(false);
                        await session.Output.WriteAsync(EventsSection.Render((events["items"] as JsonArray ?? []).OfType<JsonObject>(), DateTimeOffset.UtcNow)).ConfigureAwait(false);
                    }
                }
            }

            return 0;
        }, ct));
        return command;
    }

    public static string Describe(JsonObject obj)
    {
        var sb = new StringBuilder();
        var meta = obj["metadata"] as JsonObject ?? [];
        Line(sb, "Name", (string?)meta["name"]);
        if (meta["namespace"] is not null)
        {
            Line(sb, "Namespace", (string?)meta["namespace"]);
        }

        Map(sb, "Labels", meta["labels"] as JsonObject);
        var annotations = meta["annotations"]?.DeepClone() as JsonObject;
        annotations?.Remove(ApplyVerb.LastAppliedAnnotation);
        Map(sb, "Annotations", annotations);
        Line(sb, "CreationTimestamp", (string?)meta["creationTimestamp"]);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" or "metadata" || value is null)
            {
                continue;
            }

            sb.Append(char.ToUpperInvariant(key[0])).Append(key[1..]).Append(":\n");
            foreach (var line in YamlWriter.Write(value).TrimEnd('\n').Split('\n'))
            {
                sb.Append("  ").Append(line).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string key, string? value) => sb.Append($"{key + ":",-20}{value ?? "<none>"}\n");

    private static void Map(StringBuilder sb, string key, JsonObject? map)
    {
        if (map is null || map.Count == 0)
        {
            Line(sb, key, "<none>");
            return;
        }

        var first = true;
        foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(first ? $"{key + ":",-20}" : new string(' ', 20)).Append(k).Append('=').Append((string?)v).Append('\n');
            first = false;
        }
    }
}
