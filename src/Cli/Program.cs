using System.CommandLine;
using MiniKube.ApiServer;
using MiniKube.Cli.Bench;
using MiniKube.Cli.Cluster;
using MiniKube.Cli.Etcd;
using MiniKube.Cli.Kube;
using MiniKube.Controllers;
using MiniKube.NodeAgent;
using MiniKube.Scheduler;
using MiniKube.Store;

namespace MiniKube.Cli;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("mkctl: run MiniKube's components, look inside its store, measure it.")
        {
            Subcommands =
            {
                StoreCommand.Create(),
                ApiServerCommand.Create(),
                EtcdCommand.Create(),
                BenchCommand.Create(),
                ControllerManagerCommand.Create(),
                SchedulerCommand.Create(),
                NodeAgentCommand.Create(),
            },
        };
        foreach (var verb in ClusterCommands.Create().Concat(KubeCommands.Create()))
        {
            root.Subcommands.Add(verb);
        }

        return root.Parse(args).InvokeAsync();
    }
}
