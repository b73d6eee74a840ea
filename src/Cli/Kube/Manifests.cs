using System.Text.Json.Nodes;
using MiniKube.Api.Yaml;

namespace MiniKube.Cli.Kube;

/// <summary>The objects of <c>-f FILE|DIR|-</c>: every YAML or JSON document, List kinds expanded, in order.</summary>
public static class Manifests
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IReadOnlyList<JsonObject> Read(IEnumerable<string> paths, Func<TextReader> stdin)
    {
        var objects = new List<JsonObject>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                using var reader = stdin();
                Add(objects, reader.ReadToEnd(), "STDIN");
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path).Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal))
                {
                    Add(objects, File.ReadAllText(file), file);
                }
            }
            else if (File.Exists(path))
            {
                Add(objects, File.ReadAllText(path), path);
            }
            else
            {
                throw new KubeCommandException($"the path \"{path}\" does not exist");
            }
        }

        return objects;
    }

    private static void Add(List<JsonObject> into, string text, string source)
    {
        foreach (var doc in YamlDocuments.Parse(text))
        {
            if (doc is not JsonObject obj)
            {
                throw new KubeCommandException($"error validating \"{source}\": a document is not an object");
            }

            if ((string?)obj["kind"] is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
            {
                into.AddRange(items.OfType<JsonObject>().Select(i => i.DeepClone().AsObject()));
            }
            else if ((string?)obj["kind"] is null || (string?)obj["apiVersion"] is null)
            {
                throw new KubeCommandException($"error validating data from \"{source}\": apiVersion and kind must be set");
            }
            else
            {
                into.Add(obj);
            }
        }
    }
}
