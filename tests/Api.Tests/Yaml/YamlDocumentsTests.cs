using MiniKube.Api.Tests.Patching;
using MiniKube.Api.Yaml;

namespace MiniKube.Api.Tests.Yaml;

public class YamlDocumentsTests
{
    [Theory]
    [InlineData("v: 123", "123")]
    [InlineData("v: -7", "-7")]
    [InlineData("v: 0777", "511")]
    [InlineData("v: 0x1F", "31")]
    [InlineData("v: 0b101", "5")]
    [InlineData("v: 1_000", "1000")]
    [InlineData("v: 1.5", "1.5")]
    [InlineData("v: 1e3", "1000")]
    [InlineData("v: .5", "0.5")]
    [InlineData("v: 08", "8")]
    [InlineData("v: true", "true")]
    [InlineData("v: False", "false")]
    [InlineData("v: yes", "true")]
    [InlineData("v: on", "true")]
    [InlineData("v: y", "true")]
    [InlineData("v: No", "false")]
    [InlineData("v: off", "false")]
    [InlineData("v: null", "null")]
    [InlineData("v: ~", "null")]
    [InlineData("v:", "null")]
    [InlineData("v: '123'", "\"123\"")]
    [InlineData("v: \"yes\"", "\"yes\"")]
    [InlineData("v: !!str 123", "\"123\"")]
    [InlineData("v: !!int \"42\"", "42")]
    [InlineData("v: 2024-01-02", "\"2024-01-02\"")]
    [InlineData("v: 1.2.3", "\"1.2.3\"")]
    [InlineData("v: nginx:1.25", "\"nginx:1.25\"")]
    [InlineData("v: yesterday", "\"yesterday\"")]
    [InlineData("v: 0x", "\"0x\"")]
    [InlineData("v: '-'", "\"-\"")]
    [InlineData("v: [1, two, 'three']", "[1,\"two\",\"three\"]")]
    public void Parse_types_scalars_like_go_yaml_v2(string yaml, string expectedJson)
    {
        var doc = Assert.Single(YamlDocuments.Parse(yaml));
        JsonAssert.Equal(expectedJson, doc["v"]);
    }

    [Fact]
    public void Parse_turns_typed_keys_into_strings()
    {
        var doc = Assert.Single(YamlDocuments.Parse("1: a\nyes: b\n1.5: c\n'no': d\n"));
        JsonAssert.Equal("""{"1":"a","true":"b","1.5":"c","no":"d"}""", doc);
    }

    [Fact]
    public void Parse_splits_documents_and_skips_empty_ones()
    {
        var docs = YamlDocuments.Parse("""
            ---
            # only a comment
            ---
            apiVersion: v1
            kind: ConfigMap
            ---
            ---
            apiVersion: v1
            kind: Secret
            ...
            """);
        Assert.Equal(["ConfigMap", "Secret"], docs.Select(d => (string)d["kind"]!));
    }

    [Fact]
    public void Parse_resolves_anchors_aliases_and_merge_keys()
    {
        var doc = Assert.Single(YamlDocuments.Parse("""
            base: &base
              image: nginx
              pull: Always
            a: *base
            b:
              <<: *base
              pull: Never
            """));
        JsonAssert.Equal("""{"image":"nginx","pull":"Always"}""", doc["a"]);
        JsonAssert.Equal("""{"image":"nginx","pull":"Never"}""", doc["b"]);
        doc["a"]!["image"] = "changed";
        Assert.Equal("nginx", (string)doc["base"]!["image"]!);
    }

    [Fact]
    public void Parse_reads_block_scalars()
    {
        var doc = Assert.Single(YamlDocuments.Parse("""
            literal: |
              line one
                indented
              line three
            stripped: |-
              x
            folded: >
              a
              b

            """));
        Assert.Equal("line one\n  indented\nline three\n", (string)doc["literal"]!);
        Assert.Equal("x", (string)doc["stripped"]!);
        Assert.Equal("a b\n", (string)doc["folded"]!);
    }

    [Fact]
    public void Parse_accepts_json_and_json_streams()
    {
        var docs = YamlDocuments.Parse("""{"kind":"Pod","spec":{"x":1.50}} {"kind":"Service"}""");
        Assert.Equal(["Pod", "Service"], docs.Select(d => (string)d["kind"]!));
        JsonAssert.Equal("""[1,"a"]""", Assert.Single(YamlDocuments.Parse("[1, \"a\"]")));
        JsonAssert.Equal("""{"a":[1]}""", Assert.Single(YamlDocuments.Parse("{a: [1]}")));
    }

    [Theory]
    [InlineData("a: 1\nb: c: d\n", "error converting YAML to JSON: yaml: line 2: ")]
    [InlineData("a: 1\nb: [1\n", "error converting YAML to JSON: yaml: line 3: ")]
    [InlineData("a: 1\nb:\n  c: 1\n  c: 2\n", "error converting YAML to JSON: yaml: line 4: ")]
    [InlineData("a: .nan\n", "error converting YAML to JSON: json: unsupported value: NaN")]
    [InlineData("a: !!int abc\n", "error converting YAML to JSON: yaml: line 1: cannot decode !!int `abc`")]
    public void Parse_reports_line_numbers_when_yaml_is_invalid(string yaml, string messageStart)
    {
        var e = Assert.Throws<YamlParseException>(() => YamlDocuments.Parse(yaml));
        Assert.StartsWith(messageStart, e.Message, StringComparison.Ordinal);
    }
}
