using System.Text.Json;
using System.Text.Json.Nodes;
using MiniKube.Api.Coordination;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.Api.Serialization;

namespace MiniKube.Api.Tests.Serialization;

public class ApiJsonTests
{
    [Fact]
    public void Serialize_omits_nulls_and_uses_k8s_field_names()
    {
        var pod = new Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new ObjectMeta { Name = "p", Uid = "u" },
            Spec = new PodSpec
            {
                HostPID = true,
                DnsPolicy = "ClusterFirst",
                Containers = [new Container { Name = "c", Ports = [new ContainerPort { ContainerPortNumber = 80 }] }],
            },
            Status = new PodStatus { PodIP = "10.0.0.1", QosClass = "BestEffort" },
        };
        Assert.Equal(
            """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","uid":"u"},"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}],"dnsPolicy":"ClusterFirst","hostPID":true},"status":{"podIP":"10.0.0.1","qosClass":"BestEffort"}}""",
            ApiJson.Serialize(pod));
    }

    [Fact]
    public void Deserialize_ignores_unknown_fields_when_reading()
    {
        var pod = ApiJson.Deserialize<Pod>("""{"kind":"Pod","futureField":{"a":1},"metadata":{"name":"p","zz":[1]}}"""u8);
        Assert.Equal("p", pod.Metadata!.Name);
    }

    [Fact]
    public void Time_is_written_in_utc_seconds_when_offset_and_fraction_are_given()
    {
        var meta = ApiJson.Deserialize<ObjectMeta>("""{"creationTimestamp":"2024-05-01T12:00:00.987+02:00"}"""u8);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, 987, TimeSpan.Zero), meta.CreationTimestamp);
        Assert.Equal("""{"creationTimestamp":"2024-05-01T10:00:00Z"}""", ApiJson.Serialize(meta));
    }

    [Fact]
    public void MicroTime_is_written_with_six_fraction_digits()
    {
        var spec = new LeaseSpec { RenewTime = new DateTimeOffset(2024, 5, 1, 10, 0, 7, TimeSpan.Zero).AddTicks(6543210), AcquireTime = null };
        Assert.Equal("""{"renewTime":"2024-05-01T10:00:07.654321Z"}""", ApiJson.Serialize(spec));
        var back = ApiJson.Deserialize<LeaseSpec>("""{"acquireTime":null,"renewTime":"2024-05-01T10:00:07Z"}"""u8);
        Assert.Null(back.AcquireTime);
        Assert.Equal("""{"renewTime":"2024-05-01T10:00:07.000000Z"}""", ApiJson.Serialize(back));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("05/01/2024 10:00:00")]
    [InlineData("2024-05-01 10:00:00Z")]
    [InlineData("2024-05-01T10:00:00")]
    [InlineData("2024-13-01T10:00:00Z")]
    public void Deserialize_fails_when_time_is_not_rfc3339(string text)
    {
        Assert.Throws<JsonException>(() => ApiJson.Deserialize<ObjectMeta>($$"""{"creationTimestamp":"{{text}}"}"""));
    }

    [Theory]
    [InlineData("2024-13-01T10:00:00Z")]
    [InlineData("2023-02-29T10:00:00Z")]
    [InlineData("2024-05-01T24:00:00Z")]
    [InlineData("2024-05-01T10:60:00Z")]
    [InlineData("2024-05-01T10:00:60Z")]
    [InlineData("0000-05-01T10:00:00Z")]
    [InlineData("2024-05-01T10:0a:00Z")]
    [InlineData("2024-05-01X10:00:00Z")]
    public void Deserialize_fails_when_a_utc_seconds_time_is_out_of_range(string text)
    {
        Assert.False(Rfc3339TimeConverter.TryParseUtcSeconds(System.Text.Encoding.UTF8.GetBytes(text), out _));
        Assert.Throws<JsonException>(() => ApiJson.Deserialize<ObjectMeta>($$"""{"creationTimestamp":"{{text}}"}"""));
    }

    [Theory]
    [InlineData("2024-05-01T10:00:07Z")]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59z")]
    [InlineData("2024-05-01t10:00:07Z")]
    public void Utc_seconds_are_read_as_the_general_rfc3339_parse_reads_them(string text)
    {
        Assert.True(Rfc3339TimeConverter.TryParseUtcSeconds(System.Text.Encoding.UTF8.GetBytes(text), out var fast));
        var general = Rfc3339TimeConverter.ParseRfc3339(text);
        Assert.Equal(general, fast);
        Assert.Equal(general.Offset, fast.Offset);
        Assert.Equal(general, ApiJson.Deserialize<ObjectMeta>($$"""{"creationTimestamp":"{{text}}"}""").CreationTimestamp);
    }

    [Fact]
    public void Time_with_an_escaped_character_is_read_like_the_plain_text()
    {
        var meta = ApiJson.Deserialize<ObjectMeta>("""{"creationTimestamp":"2024-05-01T10:00:07\u005A"}"""u8);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 7, TimeSpan.Zero), meta.CreationTimestamp);
    }

    [Theory]
    [InlineData("2024-05-01T10:00:07.123456789Z", "2024-05-01T10:00:07.123456Z")]
    [InlineData("2024-05-01t10:00:07.5z", "2024-05-01T10:00:07.500000Z")]
    [InlineData("2024-05-01T11:30:07-01:30", "2024-05-01T13:00:07.000000Z")]
    public void MicroTime_reads_any_rfc3339_form_and_writes_utc(string text, string written)
    {
        var spec = ApiJson.Deserialize<LeaseSpec>($$"""{"renewTime":"{{text}}"}""");
        Assert.Equal($$"""{"renewTime":"{{written}}"}""", ApiJson.Serialize(spec));
    }

    [Fact]
    public void ToNode_and_FromNode_round_trip_an_object()
    {
        var cm = new ConfigMap { Metadata = new ObjectMeta { Name = "x" }, Data = new() { ["a"] = "<b>&" } };
        var node = ApiJson.ToNode(cm);
        Assert.Equal("<b>&", node["data"]!["a"]!.GetValue<string>());
        node["data"]!["b"] = "2";
        var back = ApiJson.FromNode<ConfigMap>(node);
        Assert.Equal("2", back.Data!["b"]);
        Assert.Equal(ApiJson.SerializeToUtf8Bytes(back), JsonSerializer.SerializeToUtf8Bytes(node, ApiJson.Options));
    }

    [Fact]
    public void Indented_writes_newlines_and_Options_does_not()
    {
        var status = new Status { Kind = "Status", Code = 404 };
        Assert.DoesNotContain('\n', ApiJson.Serialize(status));
        Assert.Contains('\n', ApiJson.Serialize(status, indented: true));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ApiJson.Serialize(status)), JsonNode.Parse(ApiJson.Serialize(status, indented: true))));
    }

    [Fact]
    public void Deserialize_throws_when_json_is_null()
    {
        Assert.Throws<JsonException>(() => ApiJson.Deserialize<Pod>("null"u8));
    }
}
