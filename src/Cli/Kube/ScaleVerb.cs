using System.CommandLine;
using System.Text.Json.Nodes;
using MiniKube.Client;

namespace MiniKube.Cli.Kube;

/// <summary><c>mkctl scale --replicas=N TYPE/NAME | TYPE NAME</c>, through the scale subresource.</summary>
public static class ScaleVerb
{
    public static Command Create(KubeGlobalOptions global)
    {
        var args = new Argument<string[]>("resource") { Description = "TYPE NAME or TYPE/NAME", Arity = ArgumentArity.OneOrMore };
        var replicas = new Option<int>("--replicas") { Description = "The new desired number of replicas.", Required = true };
        var command = new Command("scale", "Set a new size for a deployment or replica set.") { args, replicas };
        command.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var count = parse.GetValue(replicas);
            if (count < 0)
            {
                throw new KubeCommandException("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
            }

            foreach (var (resource, name) in ResourceNames.ParseArguments(parse.GetValue(args)!))
            {
                if (name is null || !resource.HasSubresource("scale"))
                {
                    throw new KubeCommandException(name is null ? "resource(s) were provided, but no name was specified" : $"cannot scale {resource.Plural}");
                }

                var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = count } }.ToJsonString();
                await session.Client.PatchAsync(resource, resource.Namespaced ? session.Namespace : null, name, PatchType.Merge, patch, "scale", cancellationToken: token).ConfigureAwait(false);
                await session.Output.WriteLineAsync($"{ResourceNames.KindName(resource)}/{name} scaled").ConfigureAwait(false);
            }

            return 0;
        }, ct));
        return command;
    }
}
