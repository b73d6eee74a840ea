using MiniKube.Api.Validation;

namespace MiniKube.Api.Tests.Validation;

public class ValidationRulesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("my-name", true)]
    [InlineData("123-abc", true)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("A", false)]
    [InlineData("a.b", false)]
    [InlineData("", false)]
    public void IsDns1123Label_accepts_only_lowercase_labels(string value, bool valid)
    {
        Assert.Equal(valid, ValidationRules.IsDns1123Label(value).Count == 0);
    }

    [Fact]
    public void A_trailing_newline_never_passes_as_the_end_of_a_value()
    {
        // Go's $ ends the text; .NET's $ also matches before a final "\n", so the patterns end in \z.
        Assert.NotEmpty(ValidationRules.IsDns1123Label("web\n"));
        Assert.NotEmpty(ValidationRules.IsDns1123Subdomain("example.com\n"));
        Assert.NotEmpty(ValidationRules.IsQualifiedName("app\n"));
        Assert.NotEmpty(ValidationRules.IsValidLabelValue("v1\n"));
        Assert.NotEmpty(ValidationRules.IsConfigMapKey("key\n"));
        Assert.NotEmpty(ValidationRules.IsEnvVarName("HOME\n"));
        Assert.NotEmpty(ValidationRules.IsValidPercent("25%\n"));
        Assert.NotEmpty(ValidationRules.IsValidPortName("http\n"));
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("a.b-c.d", true)]
    [InlineData("a..b", false)]
    [InlineData("a_b", false)]
    public void IsDns1123Subdomain_accepts_dotted_labels(string value, bool valid)
    {
        Assert.Equal(valid, ValidationRules.IsDns1123Subdomain(value).Count == 0);
    }

    [Fact]
    public void IsDns1123Subdomain_reports_length_when_longer_than_253()
    {
        Assert.Contains("must be no more than 253 characters", ValidationRules.IsDns1123Subdomain(new string('a', 254)));
    }

    [Fact]
    public void NameIsDns1123Subdomain_allows_trailing_dash_when_prefix()
    {
        Assert.Empty(ValidationRules.NameIsDns1123Subdomain("web-", prefix: true));
        Assert.NotEmpty(ValidationRules.NameIsDns1123Subdomain("web-", prefix: false));
    }

    [Theory]
    [InlineData("app", true)]
    [InlineData("kubernetes.io/hostname", true)]
    [InlineData("My_Name.1", true)]
    [InlineData("/name", false)]
    [InlineData("a/b/c", false)]
    [InlineData("Example.com/name", false)]
    public void IsQualifiedName_checks_prefix_and_name(string value, bool valid)
    {
        Assert.Equal(valid, ValidationRules.IsQualifiedName(value).Count == 0);
    }

    [Fact]
    public void IsQualifiedName_reports_prefix_and_name_parts_as_k8s_does()
    {
        Assert.Equal(["prefix part must be non-empty"], ValidationRules.IsQualifiedName("/name"));
        Assert.Equal("name part must be no more than 63 characters", ValidationRules.IsQualifiedName(new string('a', 64))[0]);
    }

    [Theory]
    [InlineData("http", true)]
    [InlineData("h2c-web", true)]
    [InlineData("8080", false)]
    [InlineData("a--b", false)]
    [InlineData("-ab", false)]
    [InlineData("averyveryverylongname", false)]
    [InlineData("HTTP", false)]
    public void IsValidPortName_follows_iana_service_names(string value, bool valid)
    {
        Assert.Equal(valid, ValidationRules.IsValidPortName(value).Count == 0);
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("2001:db8::ffff", true)]
    [InlineData("10.0.0", false)]
    [InlineData("10.0.0.01", false)]
    [InlineData("256.0.0.1", false)]
    [InlineData("fe80::1%eth0", false)]
    public void IsValidIP_accepts_plain_addresses(string value, bool valid)
    {
        Assert.Equal(valid, ValidationRules.IsValidIP(value).Count == 0);
    }

    [Fact]
    public void IsConfigMapKey_rejects_dot_paths()
    {
        Assert.Equal(["must not be '..'"], ValidationRules.IsConfigMapKey(".."));
        Assert.Equal(["must not start with '..'"], ValidationRules.IsConfigMapKey("..a"));
    }
}
