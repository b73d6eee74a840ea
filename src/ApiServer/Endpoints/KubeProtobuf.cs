using System.Text.Json.Nodes;
using Google.Protobuf;
using MiniKube.ApiServer.Errors;

namespace MiniKube.ApiServer.Endpoints;

/// <summary>
/// Reads request bodies in Kubernetes' protobuf encoding ("application/vnd.kubernetes.protobuf"),
/// which client-go's typed clients send — so kubectl's create namespace / configmap / secret /
/// deployment / service work. The envelope is the magic "k8s\0" and a runtime.Unknown holding
/// the TypeMeta and the object's bytes; the object is decoded into JSON by a table of the field
/// numbers of k8s.io/api's generated.proto for the kinds such commands create. Responses are JSON.
/// </summary>
public static class KubeProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    private enum Kind
    {
        String,
        Bytes,
        Int,
        Bool,
        Message,
        MapString,
        MapBytes,
        MapQuantity,
        Time,
        IntOrString,
    }

    /// <param name="Optional">A pointer field in Go: emitted only when set, so a zero value is kept.</param>
    private sealed record Field(string Name, Kind Kind, string? Message = null, bool Repeated = false, bool Optional = false);

    private static readonly Dictionary<string, Dictionary<int, Field>> Schemas = new()
    {
        ["ObjectMeta"] = new()
        {
            [1] = new("name", Kind.String),
            [2] = new("generateName", Kind.String),
            [3] = new("namespace", Kind.String),
            [5] = new("uid", Kind.String),
            [6] = new("resourceVersion", Kind.String),
            [7] = new("generation", Kind.Int),
            [10] = new("deletionGracePeriodSeconds", Kind.Int, Optional: true),
            [11] = new("labels", Kind.MapString),
            [12] = new("annotations", Kind.MapString),
            [13] = new("ownerReferences", Kind.Message, "OwnerReference", Repeated: true),
            [14] = new("finalizers", Kind.String, Repeated: true),
        },
        ["OwnerReference"] = new()
        {
            [1] = new("kind", Kind.String),
            [3] = new("name", Kind.String),
            [4] = new("uid", Kind.String),
            [5] = new("apiVersion", Kind.String),
            [6] = new("controller", Kind.Bool, Optional: true),
            [7] = new("blockOwnerDeletion", Kind.Bool, Optional: true),
        },
        ["Namespace"] = new() { [1] = new("metadata", Kind.Message, "ObjectMeta"), [2] = new("spec", Kind.Message, "NamespaceSpec") },
        ["NamespaceSpec"] = new() { [1] = new("finalizers", Kind.String, Repeated: true) },
        ["ConfigMap"] = new()
        {
            [1] = new("metadata", Kind.Message, "ObjectMeta"),
            [2] = new("data", Kind.MapString),
            [3] = new("binaryData", Kind.MapBytes),
            [4] = new("immutable", Kind.Bool, Optional: true),
        },
        ["Secret"] = new()
        {
            [1] = new("metadata", Kind.Message, "ObjectMeta"),
            [2] = new("data", Kind.MapBytes),
            [3] = new("type", Kind.String),
            [4] = new("stringData", Kind.MapString),
            [5] = new("immutable", Kind.Bool, Optional: true),
        },
        ["Service"] = new() { [1] = new("metadata", Kind.Message, "ObjectMeta"), [2] = new("spec", Kind.Message, "ServiceSpec") },
        ["ServiceSpec"] = new()
        {
            [1] = new("ports", Kind.Message, "ServicePort", Repeated: true),
            [2] = new("selector", Kind.MapString),
            [3] = new("clusterIP", Kind.String),
            [4] = new("type", Kind.String),
            [10] = new("externalName", Kind.String),
        },
        ["ServicePort"] = new()
        {
            [1] = new("name", Kind.String),
            [2] = new("protocol", Kind.String),
            [3] = new("port", Kind.Int),
            [4] = new("targetPort", Kind.IntOrString),
            [5] = new("nodePort", Kind.Int),
        },
        ["Deployment"] = new() { [1] = new("metadata", Kind.Message, "ObjectMeta"), [2] = new("spec", Kind.Message, "DeploymentSpec") },
        ["DeploymentSpec"] = new()
        {
            [1] = new("replicas", Kind.Int, Optional: true),
            [2] = new("selector", Kind.Message, "LabelSelector"),
            [3] = new("template", Kind.Message, "PodTemplateSpec"),
            [4] = new("strategy", Kind.Message, "DeploymentStrategy"),
            [5] = new("minReadySeconds", Kind.Int),
            [6] = new("revisionHistoryLimit", Kind.Int, Optional: true),
            [7] = new("paused", Kind.Bool),
            [9] = new("progressDeadlineSeconds", Kind.Int, Optional: true),
        },
        ["DeploymentStrategy"] = new() { [1] = new("type", Kind.String) },
        ["LabelSelector"] = new()
        {
            [1] = new("matchLabels", Kind.MapString),
            [2] = new("matchExpressions", Kind.Message, "LabelSelectorRequirement", Repeated: true),
        },
        ["LabelSelectorRequirement"] = new()
        {
            [1] = new("key", Kind.String),
            [2] = new("operator", Kind.String),
            [3] = new("values", Kind.String, Repeated: true),
        },
        ["PodTemplateSpec"] = new() { [1] = new("metadata", Kind.Message, "ObjectMeta"), [2] = new("spec", Kind.Message, "PodSpec") },
        ["Pod"] = new() { [1] = new("metadata", Kind.Message, "ObjectMeta"), [2] = new("spec", Kind.Message, "PodSpec") },
        ["PodSpec"] = new()
        {
            [2] = new("containers", Kind.Message, "Container", Repeated: true),
            [3] = new("restartPolicy", Kind.String),
            [4] = new("terminationGracePeriodSeconds", Kind.Int, Optional: true),
            [6] = new("dnsPolicy", Kind.String),
            [7] = new("nodeSelector", Kind.MapString),
            [8] = new("serviceAccountName", Kind.String),
            [10] = new("nodeName", Kind.String),
            [11] = new("hostNetwork", Kind.Bool),
            [19] = new("schedulerName", Kind.String),
        },
        ["Container"] = new()
        {
            [1] = new("name", Kind.String),
            [2] = new("image", Kind.String),
            [3] = new("command", Kind.String, Repeated: true),
            [4] = new("args", Kind.String, Repeated: true),
            [5] = new("workingDir", Kind.String),
            [6] = new("ports", Kind.Message, "ContainerPort", Repeated: true),
            [7] = new("env", Kind.Message, "EnvVar", Repeated: true),
            [8] = new("resources", Kind.Message, "ResourceRequirements"),
            [13] = new("terminationMessagePath", Kind.String),
            [14] = new("imagePullPolicy", Kind.String),
            [16] = new("stdin", Kind.Bool),
            [18] = new("tty", Kind.Bool),
        },
        ["ContainerPort"] = new()
        {
            [1] = new("name", Kind.String),
            [2] = new("hostPort", Kind.Int),
            [3] = new("containerPort", Kind.Int),
            [4] = new("protocol", Kind.String),
            [5] = new("hostIP", Kind.String),
        },
        ["EnvVar"] = new() { [1] = new("name", Kind.String), [2] = new("value", Kind.String) },
        ["ResourceRequirements"] = new() { [1] = new("limits", Kind.MapQuantity), [2] = new("requests", Kind.MapQuantity) },
    };

    /// <summary>The object in a protobuf request body, as JSON with its apiVersion and kind.</summary>
    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        try
        {
            string? apiVersion = null;
            string? kind = null;
            ByteString raw = ByteString.Empty;
            var input = new CodedInputStream(body, Magic.Length, body.Length - Magic.Length);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        var typeMeta = new CodedInputStream(input.ReadBytes().ToByteArray());
                        uint inner;
                        while ((inner = typeMeta.ReadTag()) != 0)
                        {
                            switch (WireFormat.GetTagFieldNumber(inner))
                            {
                                case 1: apiVersion = typeMeta.ReadString(); break;
                                case 2: kind = typeMeta.ReadString(); break;
                                default: typeMeta.SkipLastField(); break;
                            }
                        }

                        break;
                    case 2:
                        raw = input.ReadBytes();
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            if (kind is null || !Schemas.ContainsKey(kind))
            {
                throw ApiException.UnsupportedMediaType($"{MediaType} (for kind {kind ?? "<none>"}; send application/json)");
            }

            var obj = ReadMessage(raw.ToByteArray(), kind);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return obj;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ApiException.BadRequest($"the protobuf body could not be decoded: {e.Message}");
        }
    }

    private static JsonObject ReadMessage(byte[] bytes, string message)
    {
        var schema = Schemas[message];
        var obj = new JsonObject();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!schema.TryGetValue(WireFormat.GetTagFieldNumber(tag), out var field))
            {
                input.SkipLastField();
                continue;
            }

            var value = ReadValue(input, field);
            if (field.Repeated)
            {
                if (obj[field.Name] is not JsonArray array)
                {
                    array = [];
                    obj[field.Name] = array;
                }

                array.Add(value);
            }
            else if (field.Kind is Kind.MapString or Kind.MapBytes or Kind.MapQuantity)
            {
                if (obj[field.Name] is not JsonObject map)
                {
                    map = [];
                    obj[field.Name] = map;
                }

                var pair = value!.AsArray();
                map[pair[0]!.GetValue<string>()] = pair[1]?.DeepClone();
            }
            else if (value is not null && (field.Optional || !IsZero(value)))
            {
                obj[field.Name] = value;
            }
        }

        return obj;
    }

    private static JsonNode? ReadValue(CodedInputStream input, Field field) => field.Kind switch
    {
        Kind.String => input.ReadString(),
        Kind.Bytes => Convert.ToBase64String(input.ReadBytes().ToByteArray()),
        Kind.Int => input.ReadInt64(),
        Kind.Bool => input.ReadBool(),
        Kind.Message => ReadMessage(input.ReadBytes().ToByteArray(), field.Message!),
        Kind.MapString or Kind.MapBytes or Kind.MapQuantity => ReadMapEntry(input.ReadBytes().ToByteArray(), field.Kind),
        Kind.IntOrString => ReadIntOrString(input.ReadBytes().ToByteArray()),
        _ => throw new InvalidOperationException($"no reader for {field.Kind}"),
    };

    private static JsonArray ReadMapEntry(byte[] bytes, Kind kind)
    {
        var input = new CodedInputStream(bytes);
        string key = "";
        JsonNode? value = kind == Kind.MapString ? "" : null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    key = input.ReadString();
                    break;
                case 2:
                    value = kind switch
                    {
                        Kind.MapString => input.ReadString(),
                        Kind.MapBytes => Convert.ToBase64String(input.ReadBytes().ToByteArray()),
                        _ => ReadQuantity(input.ReadBytes().ToByteArray()),
                    };
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new JsonArray(key, value);
    }

    /// <summary>resource.Quantity travels as a message whose field 1 is its string form.</summary>
    private static string ReadQuantity(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                return input.ReadString();
            }

            input.SkipLastField();
        }

        return "0";
    }

    /// <summary>intstr.IntOrString: type (0 int, 1 string), intVal, strVal.</summary>
    private static JsonNode? ReadIntOrString(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        long type = 0;
        long number = 0;
        var text = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: type = input.ReadInt64(); break;
                case 2: number = input.ReadInt32(); break;
                case 3: text = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }

        return type == 1 ? text : number;
    }

    private static bool IsZero(JsonNode value) => value switch
    {
        JsonObject o => o.Count == 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<long>(out var n) => n == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        _ => false,
    };

    /// <summary>Used by tests: a body as client-go would send it.</summary>
    public static byte[] Encode(string apiVersion, string kind, byte[] raw)
    {
        using var stream = new MemoryStream();
        stream.Write(Magic);
        var output = new CodedOutputStream(stream);
        var typeMeta = new MemoryStream();
        var typeMetaOutput = new CodedOutputStream(typeMeta);
        typeMetaOutput.WriteTag(1, WireFormat.WireType.LengthDelimited);
        typeMetaOutput.WriteString(apiVersion);
        typeMetaOutput.WriteTag(2, WireFormat.WireType.LengthDelimited);
        typeMetaOutput.WriteString(kind);
        typeMetaOutput.Flush();
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(typeMeta.ToArray()));
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(raw));
        output.Flush();
        return stream.ToArray();
    }
}
