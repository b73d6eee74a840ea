using System.Text.Json.Nodes;
using MiniKube.Api.Resources;
using MiniKube.Api.Serialization;
using MiniKube.Api.Validation;

namespace MiniKube.Api.Tests.Validation;

public class ApiStatusTests
{
    [Fact]
    public void Invalid_formats_one_error_without_brackets_as_k8s_does()
    {
        var status = ApiStatus.Invalid("Deployment.apps", "web", [FieldError.Invalid("spec.replicas", -1L, "must be greater than or equal to 0")]);
        var expected = JsonNode.Parse("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
             "message":"Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
             "reason":"Invalid",
             "details":{"name":"web","group":"apps","kind":"Deployment","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},
             "code":422}
            """);
        Assert.True(JsonNode.DeepEquals(expected, ApiJson.ToNode(status)), ApiJson.Serialize(status));
    }

    [Fact]
    public void Invalid_brackets_several_errors_and_drops_repeated_ones()
    {
        var errors = new[]
        {
            FieldError.Invalid("spec.replicas", -1, "must be greater than or equal to 0"),
            FieldError.Required("spec.selector"),
            FieldError.Required("spec.selector"),
        };
        var status = ApiStatus.Invalid(ApiResources.Pods, "p", errors);
        Assert.Equal("Pod \"p\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Required value]", status.Message);
        Assert.Null(status.Details!.Group);
        Assert.Equal(3, status.Details.Causes!.Count);
    }

    [Fact]
    public void NotFound_and_AlreadyExists_name_the_qualified_resource()
    {
        var notFound = ApiStatus.NotFound("", "pods", "x");
        Assert.Equal((404, "NotFound", "pods \"x\" not found"), (notFound.Code, notFound.Reason, notFound.Message));
        Assert.Equal(("x", null, "pods"), (notFound.Details!.Name, notFound.Details.Group, notFound.Details.Kind));
        var exists = ApiStatus.AlreadyExists("apps", "deployments", "web");
        Assert.Equal((409, "AlreadyExists", "deployments.apps \"web\" already exists"), (exists.Code, exists.Reason, exists.Message));
        Assert.Equal("apps", exists.Details!.Group);
    }

    [Fact]
    public void Conflict_has_the_k8s_stale_update_message()
    {
        var status = ApiStatus.Conflict("apps", "deployments", "web");
        Assert.Equal(409, status.Code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified; please apply your changes to the latest version and try again", status.Message);
    }

    [Fact]
    public void Other_errors_have_k8s_codes_reasons_and_messages()
    {
        Assert.Equal((410, "Gone", "too old resource version: 5 (10)"), Shape(ApiStatus.Gone("too old resource version: 5 (10)")));
        Assert.Equal((410, "Expired", "too old"), Shape(ApiStatus.Expired("too old")));
        Assert.Equal((400, "BadRequest", "bad"), Shape(ApiStatus.BadRequest("bad")));
        Assert.Equal((405, "MethodNotAllowed", "delete is not supported on resources of kind \"bindings\""), Shape(ApiStatus.MethodNotAllowed("", "bindings", "delete")));
        Assert.Equal((413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"), Shape(ApiStatus.RequestEntityTooLarge("limit is 3145728")));
        Assert.Equal((403, "Forbidden", "pods \"p\" is forbidden: unable to create new content in namespace gone because it is being terminated"),
            Shape(ApiStatus.Forbidden("", "pods", "p", "unable to create new content in namespace gone because it is being terminated")));
        Assert.Equal((403, "Forbidden", "deployments.apps is forbidden: no"), Shape(ApiStatus.Forbidden("apps", "deployments", "", "no")));
        Assert.Equal((500, "InternalError", "Internal error occurred: boom"), Shape(ApiStatus.InternalError("boom")));
        var timeout = ApiStatus.Timeout("request did not complete within 60s", 2);
        Assert.Equal((504, "Timeout", "Timeout: request did not complete within 60s"), Shape(timeout));
        Assert.Equal(2, timeout.Details!.RetryAfterSeconds);
        Assert.All(new[] { timeout, ApiStatus.BadRequest("x") }, s => Assert.Equal(("Status", "v1", "Failure"), (s.Kind, s.ApiVersion, s.StatusValue)));
    }

    [Fact]
    public void Aggregate_joins_messages_as_k8s_does()
    {
        Assert.Equal("a", ApiStatus.Aggregate(["a", "a"]));
        Assert.Equal("[a, b]", ApiStatus.Aggregate(["a", "b", "a"]));
    }

    private static (int?, string?, string?) Shape(MiniKube.Api.Meta.Status status) => (status.Code, status.Reason, status.Message);
}
