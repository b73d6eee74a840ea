namespace MiniKube.ApiServer.Endpoints;

/// <summary>The media types the API speaks, and how a request's Accept header picks one.</summary>
public static class MediaTypes
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    /// <summary>Whether the client asked for a metav1.Table (kubectl get's "application/json;as=Table;v=v1;g=meta.k8s.io").</summary>
    public static bool WantsTable(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return false;
        }

        foreach (var candidate in accept.Split(','))
        {
            var parameters = candidate.Split(';').Select(p => p.Trim()).ToList();
            if (parameters.Contains("as=Table") && (parameters.Contains("g=meta.k8s.io") || !parameters.Any(p => p.StartsWith("g=", StringComparison.Ordinal)))
                && (parameters.Contains("v=v1") || !parameters.Any(p => p.StartsWith("v=", StringComparison.Ordinal))))
            {
                return true;
            }

            // The first acceptable plain type wins over later Table offers.
            if (parameters[0] is Json or "*/*" or "application/*" && !parameters.Any(p => p.StartsWith("as=", StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Whether YAML was preferred over JSON.</summary>
    public static bool WantsYaml(string? accept)
    {
        // Asked on every response: the first media range read in place rather than split into new strings.
        var first = accept.AsSpan();
        var comma = first.IndexOf(',');
        return (comma < 0 ? first : first[..comma]).Trim().StartsWith(Yaml, StringComparison.Ordinal);
    }

    /// <summary>The bare media type of a Content-Type header (no parameters), lower-cased.</summary>
    public static string Bare(string? contentType)
        => string.IsNullOrEmpty(contentType) ? "" : contentType.Split(';')[0].Trim().ToLowerInvariant();
}
