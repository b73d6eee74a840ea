using System.Text.Json.Nodes;
using MiniKube.Api.Patching;

namespace MiniKube.Api.Tests.Patching;

public class JsonMergePatchTests
{
    // RFC 7386, appendix A.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_follows_rfc7386_appendix(string target, string patch, string expected)
    {
        var targetNode = JsonNode.Parse(target);
        var before = targetNode?.ToJsonString();
        JsonAssert.Equal(expected, JsonMergePatch.Apply(targetNode, JsonNode.Parse(patch)));
        Assert.Equal(before, targetNode?.ToJsonString());
    }

    [Theory]
    [InlineData("""{"a":"b","c":{"d":1,"e":2},"f":[1]}""", """{"a":"b","c":{"d":1,"e":3},"f":[1,2],"g":true}""", """{"c":{"e":3},"f":[1,2],"g":true}""")]
    [InlineData("""{"a":"b","c":{"d":1}}""", """{"c":{}}""", """{"a":null,"c":{"d":null}}""")]
    [InlineData("""{"a":1}""", """{"a":1}""", """{}""")]
    [InlineData("""{"a":1}""", """[1]""", """[1]""")]
    public void Create_gives_patch_that_turns_original_into_modified(string original, string modified, string expected)
    {
        var patch = JsonMergePatch.Create(JsonNode.Parse(original), JsonNode.Parse(modified));
        JsonAssert.Equal(expected, patch);
        JsonAssert.Equal(modified, JsonMergePatch.Apply(JsonNode.Parse(original), patch));
    }
}
