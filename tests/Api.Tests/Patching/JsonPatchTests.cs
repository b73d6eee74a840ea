using System.Text.Json.Nodes;
using MiniKube.Api.Patching;

namespace MiniKube.Api.Tests.Patching;

public class JsonPatchTests
{
    // RFC 6902, appendix A (the successful examples).
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("""{"a/b":1}""", """[{"op":"copy","from":"/a~1b","path":"/c"}]""", """{"a/b":1,"c":1}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":[1]}]""", """[1]""")]
    [InlineData("""{"spec":{"replicas":1}}""", """[{"op":"test","path":"/spec/replicas","value":1},{"op":"replace","path":"/spec/replicas","value":3}]""", """{"spec":{"replicas":3}}""")]
    public void Apply_follows_rfc6902_appendix(string target, string ops, string expected)
    {
        var targetNode = JsonNode.Parse(target);
        var before = targetNode!.ToJsonString();
        JsonAssert.Equal(expected, JsonPatch.Apply(targetNode, (JsonArray)JsonNode.Parse(ops)!));
        Assert.Equal(before, targetNode.ToJsonString());
    }

    [Theory]
    [InlineData("""{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", "testing value /baz failed")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", "testing value /~01 failed")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", "doc is missing path: \"/baz/bat\"")]
    [InlineData("""{"spec":{}}""", """[{"op":"remove","path":"/spec/foo"}]""", "doc is missing path: \"/spec/foo\"")]
    [InlineData("""{"spec":{}}""", """[{"op":"replace","path":"/spec/foo","value":1}]""", "doc is missing path: \"/spec/foo\"")]
    [InlineData("""{"a":[1]}""", """[{"op":"add","path":"/a/2","value":1}]""", "array index 2 out of bounds in path \"/a/2\"")]
    [InlineData("""{"a":[1]}""", """[{"op":"remove","path":"/a/01"}]""", "invalid array index \"01\" in path \"/a/01\"")]
    [InlineData("""{"a":{}}""", """[{"op":"move","from":"/a","path":"/a/b"}]""", "cannot move \"/a\" into its own child \"/a/b\"")]
    [InlineData("""{}""", """[{"op":"frob","path":"/a"}]""", "Unexpected kind: frob")]
    [InlineData("""{}""", """[{"op":"add","value":1}]""", "operation missing \"path\" field: {\"op\":\"add\",\"value\":1}")]
    [InlineData("""{}""", """[{"op":"add","path":"/a"}]""", "operation missing \"value\" field: {\"op\":\"add\",\"path\":\"/a\"}")]
    [InlineData("""{}""", """[{"op":"add","path":"a","value":1}]""", "JSON pointer must be empty or start with '/': \"a\"")]
    public void Apply_throws_precise_message_when_operation_fails(string target, string ops, string message)
    {
        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(JsonNode.Parse(target), (JsonArray)JsonNode.Parse(ops)!));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Apply_leaves_target_untouched_when_a_later_operation_fails()
    {
        var target = JsonNode.Parse("""{"a":1}""");
        Assert.Throws<PatchException>(() => JsonPatch.Apply(target, (JsonArray)JsonNode.Parse(
            """[{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/b"}]""")!));
        JsonAssert.Equal("""{"a":1}""", target);
    }
}
