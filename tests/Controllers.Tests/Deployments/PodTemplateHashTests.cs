using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Controllers.Deployments;

namespace MiniKube.Controllers.Tests.Deployments;

public sealed class PodTemplateHashTests
{
    [Fact]
    public void SafeEncodeString_maps_each_byte_into_the_vowel_free_alphabet()
    {
        // '0' is 48 → 48 % 27 = 21 → '4'; '1' → '5'; '2' → '6'; '9' is 57 → 3 → 'f'.
        Assert.Equal("456f", PodTemplateHash.SafeEncodeString("0129"));
    }

    [Fact]
    public void Compute_is_stable_for_equal_templates_whatever_the_order_of_their_maps()
    {
        var a = new PodTemplateSpec
        {
            Metadata = new ObjectMeta { Labels = new() { ["app"] = "web", ["tier"] = "front" } },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
        };
        var b = new PodTemplateSpec
        {
            Metadata = new ObjectMeta { Labels = new() { ["tier"] = "front", ["app"] = "web" } },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "nginx" }] },
        };

        var hash = PodTemplateHash.Compute(a, null);

        Assert.Equal(hash, PodTemplateHash.Compute(b, null));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
    }

    [Fact]
    public void Compute_changes_with_the_template_and_with_the_collision_count()
    {
        var template = Objects.Template("web", "nginx:1");
        var hashes = new HashSet<string>
        {
            PodTemplateHash.Compute(template, null),
            PodTemplateHash.Compute(Objects.Template("web", "nginx:2"), null),
            PodTemplateHash.Compute(template, 1),
            PodTemplateHash.Compute(template, 2),
        };

        Assert.Equal(4, hashes.Count);
        Assert.Equal(PodTemplateHash.Compute(template, 1), PodTemplateHash.Compute(Objects.Template("web", "nginx:1"), 1));
    }
}
