using System.CommandLine;

namespace MiniKube.ApiServer;

public static class Program
{
    /// <summary>The apiserver on its own: the same flags as <c>mkctl apiserver</c>.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("MiniKube apiserver: the Kubernetes REST API over the store.");
        var apiserver = ApiServerCommand.Create();
        foreach (var option in apiserver.Options)
        {
            root.Options.Add(option);
        }

        root.Action = apiserver.Action;
        return root.Parse(args).InvokeAsync();
    }
}
