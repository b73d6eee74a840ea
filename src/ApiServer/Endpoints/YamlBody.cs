using System.Text;
using System.Text.Json.Nodes;
using MiniKube.Api.Yaml;
using MiniKube.ApiServer.Errors;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>A YAML request body (one document) as JSON.</summary>
public static class YamlBody
{
    public static JsonNode Parse(byte[] body)
    {
        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlDocuments.Parse(Encoding.UTF8.GetString(body));
        }
        catch (Exception e) when (e is not ApiException)
        {
            throw ApiException.BadRequest(e.Message);
        }

        return documents.Count == 1 ? documents[0] : throw ApiException.BadRequest($"expected one YAML document, got {documents.Count}");
    }
}
