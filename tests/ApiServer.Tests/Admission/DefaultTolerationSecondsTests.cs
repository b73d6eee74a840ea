using System.Text.Json.Nodes;
using MiniKube.ApiServer.Admission;

namespace MiniKube.ApiServer.Tests.Admission;

public sealed class DefaultTolerationSecondsTests
{
    [Theory]
    [InlineData("[]", "node.kubernetes.io/not-ready=300,node.kubernetes.io/unreachable=300")]
    [InlineData("""[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":10}]""", "node.kubernetes.io/not-ready=10,node.kubernetes.io/unreachable=300")]
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists"}]""", "node.kubernetes.io/unreachable=,node.kubernetes.io/not-ready=300")]
    [InlineData("""[{"operator":"Exists"}]""", "=")]
    [InlineData("""[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoSchedule"}]""", "node.kubernetes.io/not-ready=,node.kubernetes.io/not-ready=300,node.kubernetes.io/unreachable=300")]
    public void Admit_adds_only_the_missing_NoExecute_tolerations_when_the_pod_has(string tolerations, string expected)
    {
        var pod = new JsonObject { ["spec"] = new JsonObject { ["tolerations"] = JsonNode.Parse(tolerations) } };

        DefaultTolerationSeconds.Admit(pod, 300, 300);

        var actual = string.Join(",", pod["spec"]!["tolerations"]!.AsArray().Select(t => $"{(string?)t!["key"]}={t["tolerationSeconds"]}"));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Admit_uses_the_configured_seconds_when_the_pod_has_no_tolerations()
    {
        var pod = new JsonObject { ["spec"] = new JsonObject() };

        DefaultTolerationSeconds.Admit(pod, 30, 60);

        var added = pod["spec"]!["tolerations"]!.AsArray().Select(t => ((string?)t!["key"], (string?)t["operator"], (string?)t["effect"], (long)t["tolerationSeconds"]!)).ToList();
        Assert.Equal([("node.kubernetes.io/not-ready", "Exists", "NoExecute", 30L), ("node.kubernetes.io/unreachable", "Exists", "NoExecute", 60L)], added);
    }
}
