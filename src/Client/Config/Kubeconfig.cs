using System.Text.Json;
using System.Text.Json.Serialization;
using MiniKube.Api.Yaml;

namespace MiniKube.Client.Config;

/// <summary>
/// The kubeconfig file kubectl reads (clientcmd's v1 Config): clusters, users and contexts by name, and the
/// current context. Several files (KUBECONFIG=a:b) merge as clientcmd merges them: the first file to define a
/// name, or to set current-context, wins.
/// </summary>
public sealed class Kubeconfig
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Config";

    public List<NamedCluster> Clusters { get; set; } = [];

    public List<NamedContext> Contexts { get; set; } = [];

    public List<NamedUser> Users { get; set; } = [];

    public string? CurrentContext { get; set; }

    /// <summary>The files kubectl would read: <paramref name="explicitPath"/> (--kubeconfig) alone if given, else
    /// the KUBECONFIG list, else ~/.kube/config.</summary>
    public static IReadOnlyList<string> DefaultPaths(string? explicitPath, string? kubeconfigEnv, string? home)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return [explicitPath];
        }

        if (!string.IsNullOrEmpty(kubeconfigEnv))
        {
            return [.. kubeconfigEnv.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)];
        }

        return string.IsNullOrEmpty(home) ? [] : [Path.Combine(home, ".kube", "config")];
    }

    /// <summary>Loads what kubectl would load. An explicit path must exist; files from KUBECONFIG or the home
    /// directory that do not exist are skipped, as clientcmd skips them.</summary>
    public static Kubeconfig Load(string? explicitPath = null)
    {
        var paths = DefaultPaths(explicitPath, Environment.GetEnvironmentVariable("KUBECONFIG"),
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        var merged = new Kubeconfig();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                if (!string.IsNullOrEmpty(explicitPath))
                {
                    throw new KubeconfigException($"stat {path}: no such file or directory");
                }

                continue;
            }

            merged.MergeFrom(Parse(File.ReadAllText(path)));
        }

        return merged;
    }

    public static Kubeconfig Parse(string yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return new Kubeconfig();
        }

        try
        {
            return YamlDocuments.ParseSingle(yaml).Deserialize<Kubeconfig>(Json) ?? new Kubeconfig();
        }
        catch (Exception e) when (e is JsonException or YamlParseException or InvalidOperationException)
        {
            throw new KubeconfigException($"error loading config: {e.Message}", e);
        }
    }

    /// <summary>The JSON form (kubectl reads JSON kubeconfigs as YAML).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A one-cluster config for an insecure loopback apiserver, as tests and <c>mkctl up</c> write it.</summary>
    public static Kubeconfig ForServer(Uri server, string name = "minikube", string? @namespace = null) => new()
    {
        Clusters = [new NamedCluster { Name = name, Cluster = new ClusterInfo { Server = server.ToString().TrimEnd('/') } }],
        Users = [new NamedUser { Name = name, User = new UserInfo() }],
        Contexts = [new NamedContext { Name = name, Context = new ContextInfo { Cluster = name, User = name, Namespace = @namespace } }],
        CurrentContext = name,
    };

    /// <summary>What a client needs from the chosen context (<paramref name="context"/>, or the current one).</summary>
    public ClientConfig Resolve(string? context = null)
    {
        var contextName = string.IsNullOrEmpty(context) ? CurrentContext : context;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeconfigException("invalid configuration: no configuration has been provided, try setting KUBECONFIG environment variable");
        }

        var ctx = Contexts.FirstOrDefault(c => c.Name == contextName)?.Context
            ?? throw new KubeconfigException($"context was not found for specified context: {contextName}");
        var cluster = Clusters.FirstOrDefault(c => c.Name == ctx.Cluster)?.Cluster
            ?? throw new KubeconfigException($"cluster has no server defined (context {contextName}, cluster {ctx.Cluster})");
        if (string.IsNullOrEmpty(cluster.Server) || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server))
        {
            throw new KubeconfigException($"invalid configuration: no server found for cluster \"{ctx.Cluster}\"");
        }

        var user = Users.FirstOrDefault(u => u.Name == ctx.User)?.User ?? new UserInfo();
        return new ClientConfig
        {
            Server = server,
            Namespace = string.IsNullOrEmpty(ctx.Namespace) ? "default" : ctx.Namespace,
            BearerToken = user.Token,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify ?? false,
        };
    }

    private void MergeFrom(Kubeconfig other)
    {
        CurrentContext ??= other.CurrentContext;
        Clusters.AddRange(other.Clusters.Where(c => Clusters.All(x => x.Name != c.Name)));
        Contexts.AddRange(other.Contexts.Where(c => Contexts.All(x => x.Name != c.Name)));
        Users.AddRange(other.Users.Where(c => Users.All(x => x.Name != c.Name)));
    }
}

public sealed class NamedCluster
{
    public string? Name { get; set; }

    public ClusterInfo? Cluster { get; set; }
}

/// <summary>A cluster entry; the TLS fields are read so that they round-trip, but only http servers and
/// insecure-skip-tls-verify are used for now.</summary>
public sealed class ClusterInfo
{
    public string? Server { get; set; }

    public string? CertificateAuthority { get; set; }

    public string? CertificateAuthorityData { get; set; }

    public bool? InsecureSkipTlsVerify { get; set; }

    public string? TlsServerName { get; set; }
}

public sealed class NamedContext
{
    public string? Name { get; set; }

    public ContextInfo? Context { get; set; }
}

public sealed class ContextInfo
{
    public string? Cluster { get; set; }

    public string? User { get; set; }

    public string? Namespace { get; set; }
}

public sealed class NamedUser
{
    public string? Name { get; set; }

    public UserInfo? User { get; set; }
}

/// <summary>A user entry; only the bearer token is used for now.</summary>
public sealed class UserInfo
{
    public string? Token { get; set; }

    public string? ClientCertificate { get; set; }

    public string? ClientCertificateData { get; set; }

    public string? ClientKey { get; set; }

    public string? ClientKeyData { get; set; }
}
