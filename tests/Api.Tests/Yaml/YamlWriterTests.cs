using System.Text.Json.Nodes;
using MiniKube.Api.Tests.Patching;
using MiniKube.Api.Yaml;

namespace MiniKube.Api.Tests.Yaml;

public class YamlWriterTests
{
    [Fact]
    public void Write_prints_pod_like_kubectl()
    {
        var pod = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"web","labels":{"app":"web","version":"2"},"annotations":{}},
             "spec":{"containers":[{"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}],
                                    "args":["--port","8080"],"env":[]}],
                     "nodeName":null,"hostNetwork":false,"priority":0},
             "status":{"phase":"Running","podIPs":[{"ip":"10.0.0.5"}]}}
            """);
        Assert.Equal("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels:
                app: web
                version: "2"
              annotations: {}
            spec:
              containers:
              - name: web
                image: nginx:1.25
                ports:
                - containerPort: 80
                  protocol: TCP
                args:
                - --port
                - "8080"
                env: []
              nodeName: null
              hostNetwork: false
              priority: 0
            status:
              phase: Running
              podIPs:
              - ip: 10.0.0.5

            """.ReplaceLineEndings("\n"), YamlWriter.Write(pod));
    }

    [Fact]
    public void Write_folds_long_strings_past_column_80_like_go_yaml()
    {
        var message = "0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        var node = new JsonObject
        {
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["lastProbeTime"] = null, ["message"] = message }) },
        };
        var yaml = YamlWriter.Write(node);
        Assert.Equal(
            "status:\n" +
            "  conditions:\n" +
            "  - lastProbeTime: null\n" +
            "    message: '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n" +
            "      }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.'\n",
            yaml);
        Assert.Equal(message, (string)Assert.Single(YamlDocuments.Parse(yaml))["status"]!["conditions"]![0]!["message"]!);
    }

    [Fact]
    public void Write_sorts_keys_when_asked()
    {
        Assert.Equal("a: 1\nb:\n  c: 3\n  d: 2\n", YamlWriter.Write(JsonNode.Parse("""{"b":{"d":2,"c":3},"a":1}"""), sortKeys: true));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("123", "\"123\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("0x1F", "\"0x1F\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("n", "\"n\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("~", "\"~\"")]
    [InlineData("1:30", "\"1:30\"")]
    [InlineData("2024-01-02T03:04:05Z", "\"2024-01-02T03:04:05Z\"")]
    [InlineData("2024-01-02", "\"2024-01-02\"")]
    [InlineData("2024-01-02x", "2024-01-02x")]
    [InlineData(" lead", "' lead'")]
    [InlineData("trail ", "'trail '")]
    [InlineData("a: b", "'a: b'")]
    [InlineData("a #b", "'a #b'")]
    [InlineData("a#b", "a#b")]
    [InlineData("- x", "'- x'")]
    [InlineData("-x", "-x")]
    [InlineData("*star", "'*star'")]
    [InlineData("it's", "it's")]
    [InlineData("'q'", "'''q'''")]
    [InlineData("key:", "'key:'")]
    [InlineData("http://x/y", "http://x/y")]
    [InlineData("a,b", "a,b")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("one\ntwo\n", "|\n  one\n  two")]
    [InlineData("one\ntwo", "|-\n  one\n  two")]
    [InlineData("one\n\ntwo\n\n", "|+\n  one\n\n  two\n")]
    [InlineData("trailing \nspace", "\"trailing \\nspace\"")]
    public void Write_quotes_strings_only_when_needed(string value, string expected)
    {
        var node = new JsonObject { ["k"] = value };
        var yaml = YamlWriter.Write(node);
        Assert.Equal("k: " + expected + "\n", yaml);
        Assert.Equal(value, (string)Assert.Single(YamlDocuments.Parse(yaml))["k"]!);
    }

    [Fact]
    public void Write_nests_lists_and_maps_inside_lists()
    {
        var node = JsonNode.Parse("""[[1,2],{"a":{"b":1},"c":[3]},{},[],null,"s"]""");
        var yaml = YamlWriter.Write(node);
        Assert.Equal("- - 1\n  - 2\n- a:\n    b: 1\n  c:\n  - 3\n- {}\n- []\n- null\n- s\n", yaml);
        JsonAssert.Equal(node, Assert.Single(YamlDocuments.Parse(yaml)));
    }

    [Fact]
    public void Write_puts_block_scalar_under_list_item_map()
    {
        var node = JsonNode.Parse("""{"items":[{"script":"echo a\necho b\n"}]}""");
        var yaml = YamlWriter.Write(node);
        Assert.Equal("items:\n- script: |\n    echo a\n    echo b\n", yaml);
        JsonAssert.Equal(node, Assert.Single(YamlDocuments.Parse(yaml)));
    }

    [Fact]
    public void Write_round_trips_random_documents()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        string[] words = ["one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen", "x  y" + new string('z', 90) + " q  r 's' t u v w x y z and then some more words to pass the width of eighty columns", "a", "b c", "123", "yes", "", " x", "a: b", "#", "-", "- q", "l1\nl2", "é", "null", "0o7", "x\"y", "\\", "k'", "[x]", "{y}", "@z", "%"];
        JsonNode? RandomNode(int depth)
        {
            switch (depth > 3 ? random.Next(4) : random.Next(7))
            {
                case 0: return words[random.Next(words.Length)];
                case 1: return random.Next(-1000, 1000);
                case 2: return random.Next(2) == 0;
                case 3: return null;
                case 4: return random.NextDouble();
                case 5:
                    var arr = new JsonArray();
                    for (var i = random.Next(4); i > 0; i--)
                    {
                        arr.Add(RandomNode(depth + 1));
                    }
                    return arr;
                default:
                    var obj = new JsonObject();
                    for (var i = random.Next(4); i > 0; i--)
                    {
                        obj[words[random.Next(words.Length)]] = RandomNode(depth + 1);
                    }
                    return obj;
            }
        }
        for (var i = 0; i < 300; i++)
        {
            var node = new JsonObject { ["root"] = RandomNode(0) };
            var yaml = YamlWriter.Write(node);
            var back = Assert.Single(YamlDocuments.Parse(yaml));
            Assert.True(JsonNode.DeepEquals(node, back), $"seed {seed} case {i}\n{node.ToJsonString()}\n{yaml}\n{back.ToJsonString()}");
        }
    }
}
