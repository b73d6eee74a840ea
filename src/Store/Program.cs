using System.CommandLine;

namespace MiniKube.Store;

public static class Program
{
    /// <summary>The store member on its own: the same flags as <c>mkctl store</c>.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("MiniKube store member: an etcd-compatible key-value store on RocksDB.");
        var store = StoreCommand.Create();
        foreach (var option in store.Options)
        {
            root.Options.Add(option);
        }

        root.Action = store.Action;
        return root.Parse(args).InvokeAsync();
    }
}
