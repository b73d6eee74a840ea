using MiniKube.Api.Apps;
using MiniKube.Api.Core;
using MiniKube.Api.Resources;

namespace MiniKube.Api.Tests.Resources;

public class ApiResourcesTests
{
    [Theory]
    [InlineData("", "v1", "pods", "Pod", true, "pods")]
    [InlineData("", "v1", "nodes", "Node", false, "minions")]
    [InlineData("", "v1", "namespaces", "Namespace", false, "namespaces")]
    [InlineData("apps", "v1", "deployments", "Deployment", true, "deployments")]
    [InlineData("apps", "v1", "replicasets", "ReplicaSet", true, "replicasets")]
    [InlineData("coordination.k8s.io", "v1", "leases", "Lease", true, "leases")]
    [InlineData("", "v1", "bindings", "Binding", true, "bindings")]
    public void Find_returns_the_resource_when_served(string group, string version, string plural, string kind, bool namespaced, string storage)
    {
        var resource = ApiResources.Find(group, version, plural);
        Assert.NotNull(resource);
        Assert.Equal(kind, resource.Kind);
        Assert.Equal(namespaced, resource.Namespaced);
        Assert.Equal(storage, resource.StorageResource);
        Assert.Same(resource, ApiResources.FindByKind(resource.ApiVersion, kind));
    }

    [Fact]
    public void Find_returns_null_when_not_served()
    {
        Assert.Null(ApiResources.Find("apps", "v1", "statefulsets"));
        Assert.Null(ApiResources.Find("", "v1", "deployments"));
        Assert.Null(ApiResources.FindByKind("apps/v2", "Deployment"));
    }

    [Fact]
    public void Resources_carry_k8s_short_names_categories_and_subresources()
    {
        Assert.Equal(["po"], ApiResources.Pods.ShortNames);
        Assert.Equal(["deploy"], ApiResources.Deployments.ShortNames);
        Assert.Contains("all", ApiResources.Services.Categories);
        Assert.Empty(ApiResources.ConfigMaps.Categories);
        Assert.True(ApiResources.Pods.HasSubresource("binding"));
        Assert.True(ApiResources.Deployments.HasSubresource("scale"));
        Assert.True(ApiResources.Pods.SupportsFieldSelector("spec.nodeName"));
        Assert.False(ApiResources.ConfigMaps.SupportsFieldSelector("spec.nodeName"));
        Assert.Equal(typeof(PodList), ApiResources.Pods.ListClrType);
        Assert.Equal("deployments.apps", ApiResources.Deployments.QualifiedResource);
        Assert.Equal("Pod", ApiResources.Pods.QualifiedKind);
    }

    [Fact]
    public void WithTypeMeta_fills_apiVersion_and_kind_for_objects_and_lists()
    {
        var deployment = ApiResources.WithTypeMeta(new Deployment());
        Assert.Equal(("apps/v1", "Deployment"), (deployment.ApiVersion, deployment.Kind));
        var list = ApiResources.WithTypeMeta(new PodList());
        Assert.Equal(("v1", "PodList"), (list.ApiVersion, list.Kind));
        var scale = ApiResources.WithTypeMeta(new MiniKube.Api.Autoscaling.Scale());
        Assert.Equal(("autoscaling/v1", "Scale"), (scale.ApiVersion, scale.Kind));
        Assert.Throws<ArgumentException>(() => ApiResources.WithTypeMeta(new MiniKube.Api.Meta.APIVersions()));
    }

    [Fact]
    public void ListClrType_builds_a_list_that_takes_items_without_knowing_their_type()
    {
        var list = (MiniKube.Api.Meta.IKubernetesList)Activator.CreateInstance(ApiResources.Deployments.ListClrType)!;
        list.UntypedItems.Add(new Deployment { Metadata = new() { Name = "a" } });
        list.Metadata = new() { ResourceVersion = "5" };
        var typed = Assert.IsType<DeploymentList>(list);
        Assert.Equal("a", Assert.Single(typed.Items).Metadata!.Name);
        Assert.Equal("5", typed.Metadata!.ResourceVersion);
    }

    [Fact]
    public void ResourceList_lists_resources_and_subresources_when_group_version_is_served()
    {
        var core = ApiResources.ResourceList("", "v1")!;
        Assert.Equal("v1", core.GroupVersion);
        var names = core.Resources!.Select(r => r.Name).ToList();
        Assert.Contains("pods", names);
        Assert.Contains("pods/status", names);
        Assert.Contains("pods/binding", names);
        Assert.Contains("bindings", names);
        Assert.DoesNotContain("deployments", names);
        var scale = ApiResources.ResourceList("apps", "v1")!.Resources!.Single(r => r.Name == "deployments/scale");
        Assert.Equal(("autoscaling", "v1", "Scale"), (scale.Group, scale.Version, scale.Kind));
        Assert.Null(ApiResources.ResourceList("batch", "v1"));
    }

    [Fact]
    public void Groups_lists_named_groups_with_preferred_versions()
    {
        var groups = ApiResources.Groups();
        Assert.Equal(["apps", "coordination.k8s.io"], groups.Groups!.Select(g => g.Name));
        Assert.Equal("apps/v1", ApiResources.Group("apps")!.PreferredVersion!.GroupVersion);
        Assert.Null(ApiResources.Group(""));
        Assert.Equal(["v1"], ApiResources.CoreVersions().Versions);
    }

    [Fact]
    public void SplitApiVersion_separates_group_and_version()
    {
        Assert.Equal(("", "v1"), ApiResources.SplitApiVersion("v1"));
        Assert.Equal(("coordination.k8s.io", "v1"), ApiResources.SplitApiVersion("coordination.k8s.io/v1"));
    }
}
