using System.Text.Json.Nodes;
using MiniKube.Api.Selectors;

namespace MiniKube.Api.Tests.Selectors;

public class FieldSelectorTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("metadata.name=foo", "metadata.name=foo")]
    [InlineData("metadata.name==foo", "metadata.name=foo")]
    [InlineData("status.phase!=Running,spec.nodeName=", "spec.nodeName=,status.phase!=Running")]
    [InlineData("a=x\\,y", "a=x\\,y")]
    [InlineData("a=x\\=y\\\\z", "a=x\\=y\\\\z")]
    [InlineData("a=b,,c=d", "a=b,c=d")]
    public void Parse_gives_sorted_escaped_string_when_valid(string text, string canonical)
    {
        Assert.Equal(canonical, FieldSelector.Parse(text).ToString());
    }

    [Fact]
    public void Parse_unescapes_values()
    {
        var reqs = FieldSelector.Parse("a=x\\,y\\=z\\\\").Requirements;
        Assert.Equal(new FieldRequirement("a", SelectorOperator.Equals, "x,y=z\\"), Assert.Single(reqs));
    }

    [Theory]
    [InlineData("a", "invalid selector: 'a'; can't understand 'a'")]
    [InlineData("a<b", "invalid selector: 'a<b'; can't understand 'a<b'")]
    [InlineData("x=1,a in (b)", "invalid selector: 'x=1,a in (b)'; can't understand 'a in (b)'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    [InlineData("a=\\x", "invalid field selector: invalid escape sequence: \\x")]
    [InlineData("a=b\\", "invalid field selector: invalid escape sequence: \\")]
    public void Parse_throws_when_term_cannot_be_understood(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<SelectorParseException>(() => FieldSelector.Parse(text)).Message);
    }

    [Theory]
    [InlineData("metadata.name=web", true)]
    [InlineData("metadata.name!=web", false)]
    [InlineData("metadata.namespace=default,status.phase=Pending", true)]
    [InlineData("spec.nodeName=", true)]
    [InlineData("spec.nodeName!=", false)]
    [InlineData("spec.replicas=3", true)]
    [InlineData("spec.hostNetwork=true", true)]
    [InlineData("status.phase=Running", false)]
    public void Matches_reads_fields_by_path(string selector, bool expected)
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":3,"hostNetwork":true},"status":{"phase":"Pending"}}
            """)!;
        Assert.Equal(expected, FieldSelector.Parse(selector).MatchesObject(pod));
    }

    [Fact]
    public void FieldPaths_resolves_event_fields()
    {
        var ev = JsonNode.Parse("""
            {"type":"Warning","reason":"BackOff","count":4,
             "involvedObject":{"kind":"Pod","name":"web-1","namespace":"ns","uid":"u-1"}}
            """)!;
        Assert.Equal("Pod", FieldPaths.Get(ev, "involvedObject.kind"));
        Assert.Equal("u-1", FieldPaths.Get(ev, "involvedObject.uid"));
        Assert.Equal("Warning", FieldPaths.Get(ev, "type"));
        Assert.Equal("4", FieldPaths.Get(ev, "count"));
        Assert.Null(FieldPaths.Get(ev, "involvedObject"));
        Assert.Null(FieldPaths.Get(ev, "involvedObject.fieldPath"));
        Assert.Null(FieldPaths.Get(ev, "type.x"));
    }

    [Fact]
    public void Matches_uses_given_function_and_treats_missing_as_empty()
    {
        var selector = FieldSelector.Parse("a=1,b!=2");
        Assert.True(selector.Matches(f => f == "a" ? "1" : null));
        Assert.False(selector.Matches(f => f == "a" ? "1" : "2"));
        Assert.True(selector.RequiresExactMatch("a", out var v) && v == "1");
        Assert.False(selector.RequiresExactMatch("b", out _));
    }

    [Fact]
    public void FieldPaths_reads_event_source_as_its_component()
    {
        var ev = JsonNode.Parse("""{"kind":"Event","source":{"component":"kubelet","host":"n1"},"reportingController":"ctrl"}""")!;
        Assert.True(FieldSelector.Parse("source=kubelet,reportingComponent=ctrl").MatchesObject(ev));
    }

    [Fact]
    public void Validate_refuses_fields_the_kind_does_not_support()
    {
        FieldPaths.Validate(FieldSelector.Parse("spec.nodeName=n1,metadata.name=p"), "Pod");
        FieldPaths.Validate(FieldSelector.Parse("metadata.namespace=x"), "ConfigMap");
        var e = Assert.Throws<SelectorParseException>(() => FieldPaths.Validate(FieldSelector.Parse("spec.replicas=1"), "Deployment"));
        Assert.Equal("field label not supported: spec.replicas", e.Message);
        Assert.Contains("involvedObject.uid", FieldPaths.Supported("Event"));
    }
}
