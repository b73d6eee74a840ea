namespace MiniKube.NodeAgent.Tests;

public sealed class NodeAgentCommandTests
{
    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("0", 0)]
    public void Durations_parse_as_the_kubelets_flags_do(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), NodeAgentCommand.ParseDuration("--startup-delay", text));

    [Theory]
    [InlineData("10")]
    [InlineData("1x")]
    [InlineData("")]
    public void Bad_durations_are_refused(string text) =>
        Assert.Throws<FormatException>(() => NodeAgentCommand.ParseDuration("--startup-delay", text));

    [Theory]
    [InlineData("--runtime", "docker")]
    [InlineData("--nodes", "0")]
    [InlineData("--pod-cidr", "10.244.0.0/28")]
    [InlineData("--memory", "lots")]
    [InlineData("--startup-delay", "soon")]
    public async Task Command_fails_with_exit_code_1_on_a_bad_flag(string flag, string value)
    {
        var code = await NodeAgentCommand.Create().Parse([flag, value, "--kubeconfig", "/nonexistent/kubeconfig"]).InvokeAsync();

        Assert.Equal(1, code);
    }

    [Fact]
    public void Options_refuse_more_nodes_than_the_pod_cidr_holds()
    {
        var e = Assert.Throws<ArgumentException>(() => new NodeAgentOptions { Nodes = 300 }.Validate());
        Assert.Contains("room for 256", e.Message, StringComparison.Ordinal);
        new NodeAgentOptions { Nodes = 300, PodCidr = "10.0.0.0/8" }.Validate();
    }
}
