using MiniKube.Cli.Cluster;

namespace MiniKube.Cli.Tests.Cluster;

public sealed class ComponentRuntimeEnvironmentTests
{
    [Fact]
    public void A_store_member_runs_with_tiered_compilation()
    {
        var settings = ComponentProcess.RuntimeEnvironment(ClusterState.StoreKind, _ => null).ToList();

        Assert.Equal([("DOTNET_TieredCompilation", "1")], settings);
    }

    [Theory]
    [InlineData(ClusterState.ApiServerKind)]
    [InlineData(ClusterState.ControllerManagerKind)]
    [InlineData(ClusterState.SchedulerKind)]
    [InlineData(ClusterState.NodeAgentKind)]
    public void Other_components_keep_mkctls_own_settings(string kind)
    {
        Assert.Empty(ComponentProcess.RuntimeEnvironment(kind, _ => null));
    }

    [Fact]
    public void A_setting_in_the_callers_environment_is_left_to_it()
    {
        var settings = ComponentProcess.RuntimeEnvironment(ClusterState.StoreKind, name => name == "DOTNET_TieredCompilation" ? "0" : null);

        Assert.Empty(settings);
    }
}
