namespace MiniKube.Grpc.Tests;

public sealed class MetadataTests
{
    [Fact]
    public void Keeps_order_and_repeats_with_lowercase_keys()
    {
        var metadata = new Metadata { { "Token", "a" }, { "x-id", "1" }, { "token", "b" } };

        Assert.Equal([new("token", "a"), new("x-id", "1"), new("token", "b")], metadata.ToList());
        Assert.Equal("b", metadata.Get("TOKEN"));
        Assert.Equal(["a", "b"], metadata.GetAll("token"));
        Assert.Null(metadata.Get("missing"));
    }

    [Fact]
    public void Rejects_pseudo_headers()
    {
        Assert.Throws<ArgumentException>(() => new Metadata { { ":authority", "x" } });
    }
}
