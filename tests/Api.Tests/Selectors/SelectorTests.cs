using System.Text.Json.Nodes;
using MiniKube.Api.Selectors;

namespace MiniKube.Api.Tests.Selectors;

public class SelectorTests
{
    private const string NamePartError =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string LabelValueError =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    [Theory]
    [InlineData("", "")]
    [InlineData("x=a,y=b,z=c", "x=a,y=b,z=c")]
    [InlineData("z=c , y = b , x = a", "x=a,y=b,z=c")]
    [InlineData("x!=a,y=b", "x!=a,y=b")]
    [InlineData("x==a", "x==a")]
    [InlineData("x=,z= ", "x=,z=")]
    [InlineData("x= ,z= ", "x=,z=")]
    [InlineData("!x", "!x")]
    [InlineData(" x ", "x")]
    [InlineData("x>1", "x>1")]
    [InlineData("x>1,z<5", "x>1,z<5")]
    [InlineData("x in (c,a,b)", "x in (a,b,c)")]
    [InlineData("x in (a,a)", "x in (a)")]
    [InlineData("x notin (a)", "x notin (a)")]
    [InlineData("x in (,a)", "x in (,a)")]
    [InlineData("x in ()", "x in ()")]
    [InlineData("x in (in),y notin (notin)", "x in (in),y notin (notin)")]
    [InlineData("notin=in", "notin=in")]
    [InlineData("example.com/app-name=v_1.0", "example.com/app-name=v_1.0")]
    [InlineData("\tx\n=\ra", "x=a")]
    [InlineData("b,!a,c in (x)", "!a,b,c in (x)")]
    public void Parse_gives_canonical_string_when_selector_is_valid(string text, string canonical)
    {
        var selector = Selector.Parse(text);
        Assert.Equal(canonical, selector.ToString());
        Assert.Equal(canonical, Selector.Parse(canonical).ToString());
        Assert.Equal(text.Trim().Length == 0, selector.Empty);
    }

    [Theory]
    [InlineData("x==a==b", "found '==', expected: ',' or 'end of string'")]
    [InlineData("!x=a", "found '=', expected: ',' or 'end of string'")]
    [InlineData("x=a,", "found '', expected: identifier after ','")]
    [InlineData(",x=a", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("x=a,!", "unable to parse requirement: found '', expected: identifier")]
    [InlineData("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("x!!=a", "unable to parse requirement: found '!', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("x in a", "unable to parse requirement: found 'a' expected: '('")]
    [InlineData("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'")]
    [InlineData("x in (a", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier")]
    [InlineData("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("x>1.5", "unable to parse requirement: values[0]: Invalid value: \"1.5\": for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("-x=a", "unable to parse requirement: <nil>: Invalid value: \"-x\": " + NamePartError)]
    [InlineData("x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + LabelValueError)]
    [InlineData("/x", "unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be non-empty")]
    public void Parse_throws_k8s_message_when_selector_is_invalid(string text, string message)
    {
        var e = Assert.Throws<SelectorParseException>(() => Selector.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_rejects_label_value_longer_than_63_characters()
    {
        var e = Assert.Throws<SelectorParseException>(() => Selector.Parse("x=" + new string('a', 64)));
        Assert.Contains("must be no more than 63 characters", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "x=y", true)]
    [InlineData("x=y", "x=y", true)]
    [InlineData("x==y", "x=y", true)]
    [InlineData("x=y,z=w", "x=y,z=w", true)]
    [InlineData("x!=y,z!=w", "x=z,z=a", true)]
    [InlineData("notin=in", "notin=in", true)]
    [InlineData("x", "x=z", true)]
    [InlineData("!x", "y=z", true)]
    [InlineData("x>1", "x=2", true)]
    [InlineData("x<1", "x=0", true)]
    [InlineData("x in (a,b)", "x=b", true)]
    [InlineData("x notin (a,b)", "y=a", true)]
    [InlineData("x=", "x=", true)]
    [InlineData("x=z", "", false)]
    [InlineData("x=y", "x=z", false)]
    [InlineData("x=y,z=w", "x=w,z=w", false)]
    [InlineData("x!=y,z!=w", "x=z,z=w", false)]
    [InlineData("x", "y=z", false)]
    [InlineData("!x", "x=z", false)]
    [InlineData("x>1", "x=0", false)]
    [InlineData("x>1", "x=1", false)]
    [InlineData("x<1", "x=2", false)]
    [InlineData("x>1", "x=abc", false)]
    [InlineData("x>1", "", false)]
    [InlineData("x in (a,b)", "x=c", false)]
    [InlineData("x in (a,b)", "", false)]
    [InlineData("x notin (a,b)", "x=a", false)]
    public void Matches_follows_k8s_when_labels_given(string selector, string labels, bool expected)
    {
        var set = labels.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(expected, Selector.Parse(selector).Matches(set));
    }

    [Fact]
    public void Matches_treats_null_labels_as_empty()
    {
        Assert.True(Selector.Parse("!a,b notin (c)").Matches(null));
        Assert.False(Selector.Parse("a").Matches(null));
    }

    [Fact]
    public void Requirements_expose_key_operator_and_sorted_values()
    {
        var reqs = Selector.Parse("z notin (b,a),a>3").Requirements;
        Assert.Equal(2, reqs.Count);
        Assert.Equal(("a", SelectorOperator.GreaterThan), (reqs[0].Key, reqs[0].Operator));
        Assert.Equal(["3"], reqs[0].Values);
        Assert.Equal(("z", SelectorOperator.NotIn), (reqs[1].Key, reqs[1].Operator));
        Assert.Equal(["a", "b"], reqs[1].Values);
    }

    [Fact]
    public void FromLabelSelector_selects_nothing_when_null_and_everything_when_empty()
    {
        var labels = new Dictionary<string, string> { ["a"] = "b" };
        Assert.False(Selector.FromLabelSelector(null).Matches(labels));
        Assert.False(Selector.FromLabelSelector(null).Empty);
        Assert.True(Selector.FromLabelSelector(new JsonObject()).Matches(labels));
        Assert.True(Selector.FromLabelSelector(new JsonObject()).Empty);
        Assert.True(Selector.FromLabelSelector(JsonNode.Parse("""{"matchLabels":{}}""")).Empty);
    }

    [Fact]
    public void FromLabelSelector_combines_matchLabels_and_matchExpressions_when_both_given()
    {
        var node = JsonNode.Parse("""
            {"matchLabels": {"app": "web"},
             "matchExpressions": [
               {"key": "tier", "operator": "In", "values": ["fe", "be"]},
               {"key": "env", "operator": "NotIn", "values": ["prod"]},
               {"key": "canary", "operator": "DoesNotExist"},
               {"key": "team", "operator": "Exists"}]}
            """);
        var selector = Selector.FromLabelSelector(node);
        Assert.Equal("app=web,!canary,env notin (prod),team,tier in (be,fe)", selector.ToString());
        Assert.True(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe", ["team"] = "x" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe", ["team"] = "x", ["canary"] = "1" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe", ["team"] = "x", ["env"] = "prod" }));
        Assert.False(selector.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "qa", ["team"] = "x" }));
    }

    [Fact]
    public void FromLabelSelector_throws_when_operator_or_values_are_invalid()
    {
        var badOp = Assert.Throws<SelectorParseException>(() => Selector.FromLabelSelector(JsonNode.Parse(
            """{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}""")));
        Assert.Equal("\"Gt\" is not a valid label selector operator", badOp.Message);
        var noValues = Assert.Throws<SelectorParseException>(() => Selector.FromLabelSelector(JsonNode.Parse(
            """{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}""")));
        Assert.Equal("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty", noValues.Message);
        var exists = Assert.Throws<SelectorParseException>(() => Selector.FromLabelSelector(JsonNode.Parse(
            """{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""")));
        Assert.Equal("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist", exists.Message);
    }

    [Fact]
    public void Create_aggregates_several_errors_in_brackets()
    {
        var e = Assert.Throws<SelectorParseException>(() => Requirement.Create("a", SelectorOperator.GreaterThan, ["x", "y"]));
        Assert.Equal(
            "[values: Invalid value: []string{\"x\", \"y\"}: for 'Gt', 'Lt' operators, exactly one value is required, "
            + "values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer, "
            + "values[1]: Invalid value: \"y\": for 'Gt', 'Lt' operators, the value must be an integer]",
            e.Message);
    }

    [Fact]
    public void FromSet_matches_exactly_the_set()
    {
        var selector = Selector.FromSet(new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        Assert.Equal("a=1,b=2", selector.ToString());
        Assert.True(selector.RequiresExactMatch("b", out var v));
        Assert.Equal("2", v);
        Assert.False(selector.RequiresExactMatch("c", out _));
        Assert.True(Selector.FromSet(null).Empty);
    }

    [Fact]
    public void Matches_reads_metadata_labels_when_given_an_object()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","labels":{"app":"web"}}}""");
        Assert.True(Selector.Parse("app=web").MatchesObject(pod));
        Assert.False(Selector.Parse("app!=web").MatchesObject(pod));
        Assert.True(Selector.Parse("!app").MatchesObject(JsonNode.Parse("""{"metadata":{"name":"p"}}""")));
    }
}
