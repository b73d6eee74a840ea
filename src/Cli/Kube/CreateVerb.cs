using System.CommandLine;
using System.Text.Json.Nodes;
using MiniKube.Api.Resources;

namespace MiniKube.Cli.Kube;

/// <summary><c>mkctl create namespace NAME</c> (the one generator so far).</summary>
public static class CreateVerb
{
    public static Command Create(KubeGlobalOptions global)
    {
        var name = new Argument<string>("name") { Description = "The namespace's name." };
        var ns = new Command("namespace", "Create a namespace with the specified name.") { name };
        ns.Aliases.Add("ns");
        ns.SetAction((parse, ct) => KubeSession.RunAsync(parse, global, async (session, token) =>
        {
            var obj = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = parse.GetValue(name) },
            };
            await session.Client.CreateAsync(ApiResources.Namespaces, null, obj, token).ConfigureAwait(false);
            await session.Output.WriteLineAsync($"namespace/{parse.GetValue(name)} created").ConfigureAwait(false);
            return 0;
        }, ct));
        return new Command("create", "Create a resource.") { ns };
    }
}
