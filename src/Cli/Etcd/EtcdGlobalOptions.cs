using System.CommandLine;
using System.CommandLine.Parsing;
using MiniKube.Cli.Cluster;
using MiniKube.Cli.Etcd.Output;
using MiniKube.Etcd.Api;
using MiniKube.Etcd.Client;

namespace MiniKube.Cli.Etcd;

/// <summary>The flags every <c>mkctl etcd</c> command takes, named as etcdctl's.</summary>
public sealed class EtcdGlobalOptions
{
    public const string DefaultEndpoint = "http://127.0.0.1:2379";

    // Defaults are applied in ClientOptions rather than by DefaultValueFactory, whose help text
    // would print them as .NET renders a TimeSpan or a Uri.
    public Option<IReadOnlyList<Uri>?> Endpoints { get; } = new("--endpoints")
    {
        Description = $"gRPC endpoints, comma-separated (default: {DefaultEndpoint}).",
        Recursive = true,
        CustomParser = ParseEndpoints,
    };

    /// <summary>The local cluster whose store to reach when --endpoints is not given (see mkctl up).</summary>
    public Option<string?> Dir { get; } = new("--dir")
    {
        Description = $"The local cluster's directory (default: {ClusterDirectory.DefaultName}); its store is used when --endpoints is not given.",
        Recursive = true,
    };

    public Option<TimeSpan?> DialTimeout { get; } = Duration("--dial-timeout", "Dial timeout for client connections (default: 2s).");

    public Option<TimeSpan?> CommandTimeout { get; } = Duration("--command-timeout", "Timeout for short running commands, excluding watch and keep-alive (default: 5s).");

    public Option<string?> Output { get; } = CreateOutput();

    public void AddTo(Command command)
    {
        command.Options.Add(Endpoints);
        command.Options.Add(Dir);
        command.Options.Add(DialTimeout);
        command.Options.Add(CommandTimeout);
        command.Options.Add(Output);
    }

    public EtcdClientOptions ClientOptions(ParseResult parse) => new()
    {
        Endpoints = parse.GetValue(Endpoints) ?? LocalClusterEndpoints(parse) ?? [new Uri(DefaultEndpoint)],
        DialTimeout = parse.GetValue(DialTimeout) ?? TimeSpan.FromSeconds(2),
        DefaultRequestTimeout = GetCommandTimeout(parse),
    };

    public TimeSpan GetCommandTimeout(ParseResult parse) => parse.GetValue(CommandTimeout) ?? TimeSpan.FromSeconds(5);

    /// <summary>The store members of the cluster in --dir, or in .mk of the working directory; null if there is none
    /// (an explicit --dir without a cluster is an error).</summary>
    public IReadOnlyList<Uri>? LocalClusterEndpoints(ParseResult parse)
    {
        var explicitDir = parse.GetValue(Dir);
        var dir = ClusterDirectory.Find(explicitDir);
        if (!dir.Exists && string.IsNullOrEmpty(explicitDir))
        {
            return null;
        }

        try
        {
            return dir.RequireState().StoreClientUrls;
        }
        catch (ClusterException e)
        {
            throw new InvalidInputException(e.Message);
        }
    }

    /// <summary>The format asked for, or null for the command's default.</summary>
    public OutputFormat? GetOutput(ParseResult parse) => parse.GetValue(Output) is { } text ? Enum.Parse<OutputFormat>(text, ignoreCase: true) : null;

    private static Option<string?> CreateOutput()
    {
        var option = new Option<string?>("--write-out", "-w", "--output", "-o")
        {
            Description = "Output format (default: readable; table for members).",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong("readable", "simple", "json", "table");
        return option;
    }

    private static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        Recursive = true,
        CustomParser = result =>
        {
            try
            {
                return GoDuration.Parse(result.Tokens.Single().Value);
            }
            catch (FormatException e)
            {
                result.AddError($"{name}: {e.Message}");
                return null;
            }
        },
    };

    /// <summary>etcdctl's --endpoints: comma-separated, the scheme optional (http:// assumed).</summary>
    private static List<Uri>? ParseEndpoints(ArgumentResult result)
    {
        var endpoints = new List<Uri>();
        foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var text = part.Contains("://", StringComparison.Ordinal) ? part : "http://" + part;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                result.AddError($"invalid endpoint \"{part}\": expected host:port or http://host:port");
                return endpoints;
            }

            endpoints.Add(url);
        }

        return endpoints;
    }
}
