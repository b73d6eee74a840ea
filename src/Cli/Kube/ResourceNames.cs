using MiniKube.Api.Resources;

namespace MiniKube.Cli.Kube;

/// <summary>kubectl's resource names: plural, singular, short name, Kind, or plural.group; and the ways it prints them.</summary>
public static class ResourceNames
{
    public static ApiResource Resolve(string type)
    {
        var lower = type.ToLowerInvariant();
        return ApiResources.All.FirstOrDefault(r => r.ListKind.Length > 0 && (
                r.Plural == lower || r.Singular == lower || r.ShortNames.Contains(lower) || r.Kind.Equals(type, StringComparison.OrdinalIgnoreCase)
                || (r.Group.Length > 0 && (lower == $"{r.Plural}.{r.Group}" || lower == $"{r.Singular}.{r.Group}"))))
            ?? throw new KubeCommandException($"the server doesn't have a resource type \"{type}\"");
    }

    /// <summary>"TYPE NAME…" or "TYPE/NAME …" into (resource, name) pairs; a lone TYPE gives a null name.</summary>
    public static IReadOnlyList<(ApiResource Resource, string? Name)> ParseArguments(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new KubeCommandException("You must specify the type of resource to get.");
        }

        if (args.All(a => a.Contains('/', StringComparison.Ordinal)))
        {
            return [.. args.Select(a => (Resolve(a[..a.IndexOf('/', StringComparison.Ordinal)]), (string?)a[(a.IndexOf('/', StringComparison.Ordinal) + 1)..]))];
        }

        if (args.Skip(1).Any(a => a.Contains('/', StringComparison.Ordinal)))
        {
            throw new KubeCommandException("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form");
        }

        var resource = Resolve(args[0]);
        return args.Count == 1 ? [(resource, null)] : [.. args.Skip(1).Select(n => (resource, (string?)n))];
    }

    /// <summary>"deployment.apps", "pod": how kubectl names a kind in its messages.</summary>
    public static string KindName(ApiResource r) => r.Group.Length == 0 ? r.Kind.ToLowerInvariant() : $"{r.Kind.ToLowerInvariant()}.{r.Group}";
}
