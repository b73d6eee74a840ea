using System.Text.Json.Nodes;

namespace MiniKube.Api.Tests.Patching;

internal static class JsonAssert
{
    /// <summary>Deep equality (object member order ignored) with both documents in the failure message.</summary>
    public static void Equal(string expectedJson, JsonNode? actual) => Equal(JsonNode.Parse(expectedJson), actual);

    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"expected {expected?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
        }
    }
}
