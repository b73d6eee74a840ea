namespace MiniKube.Api.Yaml;

/// <summary>YAML that cannot be turned into JSON; the message reads like sigs.k8s.io/yaml's ("error converting YAML to JSON: yaml: line 3: …").</summary>
public sealed class YamlParseException(string message, int line) : FormatException(message)
{
    /// <summary>1-based line of the problem, 0 when unknown.</summary>
    public int Line { get; } = line;
}
