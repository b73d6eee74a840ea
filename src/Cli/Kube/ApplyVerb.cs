using System.CommandLine;
using System.Text.Json.Nodes;
using MiniKube.Api.Patching;
using MiniKube.Api.Resources;
using MiniKube.Client;

namespace MiniKube.Cli.Kube;

/// <summary>
/// <c>mkctl apply -f …</c>: kubectl's client-side apply. The manifest, with itself (minus this annotation) stored in
/// the kubectl.kubernetes.io/last-applied-configuration annotation, is created when missing; otherwise a three-way
/// strategic merge patch from the last applied configuration, the manifest and the live object is sent, so that
/// fields others set are kept and fields removed from the manifest are removed.
/// </summary>
public static class ApplyVerb
{
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    public static Command Create(KubeGlobalOptions global, Func<TextReader> stdin)
    {
        var files = new Option<string[]>("--filename", "-f") { Description = "The files that contain the configurations to apply.", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command("apply", "Apply a configuration to a resource by file name or stdin.") { files };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            foreach (var obj in Manifests.Read(parse.GetValue(files)!, stdin))
            {
                var outcome = await ApplyAsync(session, obj, token).ConfigureAwait(false);
                await session.Output.WriteLineAsync(outcome).ConfigureAwait(false);
            }

            return 0;
        }, ct));
        return command;
    }

    /// <summary>Applies one object; returns kubectl's line ("deployment.apps/web configured").</summary>
    public static async Task<string> ApplyAsync(KubeSession session, JsonObject manifest, CancellationToken cancellationToken)
    {
        var apiVersion = (string)manifest["apiVersion"]!;
        var kind = (string)manifest["kind"]!;
        var resource = ApiResources.FindByKind(apiVersion, kind)
            ?? throw new KubeCommandException($"resource mapping not found for kind \"{kind}\" in version \"{apiVersion}\"");
        var metadata = manifest["metadata"] as JsonObject ?? throw new KubeCommandException($"a {kind} has no metadata");
        var name = (string?)metadata["name"] ?? throw new KubeCommandException("error when retrieving current configuration: resource name may not be empty");
        var ns = resource.Namespaced ? NamespaceOf(session, metadata) : null;
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        var modified = WithLastApplied(manifest);
        var label = $"{ResourceNames.KindName(resource)}/{name}";
        JsonObject current;
        try
        {
            current = await session.Client.GetAsync(resource, ns, name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            await session.Client.CreateAsync(resource, ns, modified, cancellationToken).ConfigureAwait(false);
            return $"{label} created";
        }

        var lastApplied = (string?)current["metadata"]?["annotations"]?[LastAppliedAnnotation];
        var original = lastApplied is null ? null : JsonNode.Parse(lastApplied);
        var patch = StrategicMergePatch.CreateThreeWay(original, modified, current, PatchSchema.ForKind(apiVersion, kind));
        if (patch.Count == 0)
        {
            return $"{label} unchanged";
        }

        await session.Client.PatchAsync(resource, ns, name, PatchType.StrategicMerge, patch.ToJsonString(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return $"{label} configured";
    }

    private static string NamespaceOf(KubeSession session, JsonObject metadata)
    {
        var own = (string?)metadata["namespace"];
        if (!string.IsNullOrEmpty(own) && session.ExplicitNamespace && own != session.Namespace)
        {
            throw new KubeCommandException($"the namespace from the provided object \"{own}\" does not match the namespace \"{session.Namespace}\". You must pass '--namespace={own}' to perform this operation.");
        }

        return string.IsNullOrEmpty(own) ? session.Namespace : own;
    }

    /// <summary>
    /// The manifest with the annotation holding its own JSON, byte for byte as kubectl writes it (GetModifiedConfiguration):
    /// annotations always present (empty when the manifest has none), this annotation removed, keys sorted as Go's
    /// json.Marshal sorts map keys, a trailing newline. Identical text is what lets kubectl and mkctl see each other's
    /// applies as unchanged.
    /// </summary>
    public static JsonObject WithLastApplied(JsonObject manifest)
    {
        var copy = manifest.DeepClone().AsObject();
        var meta = copy["metadata"]!.AsObject();
        if (meta["annotations"] is not JsonObject annotations)
        {
            meta["annotations"] = annotations = [];
        }

        annotations.Remove(LastAppliedAnnotation);
        var bare = (JsonObject)Sorted(copy)!;
        var modified = (JsonObject)Sorted(bare)!;
        modified["metadata"]!["annotations"]![LastAppliedAnnotation] = bare.ToJsonString() + "\n";
        return modified;
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
