using System.Text.Json.Nodes;

namespace MiniKube.Api.Selectors;

/// <summary>
/// A label selector (k8s.io/apimachinery/pkg/labels): an AND of requirements, kept sorted by key so that
/// its text is canonical. <see cref="Nothing"/> matches no object; an empty selector matches every object.
/// </summary>
public sealed class Selector
{
    private readonly Requirement[] requirements;
    private readonly bool nothing;

    private Selector(Requirement[] requirements, bool nothing)
    {
        this.requirements = requirements;
        this.nothing = nothing;
    }

    public static Selector Everything { get; } = new([], nothing: false);

    public static Selector Nothing { get; } = new([], nothing: true);

    public IReadOnlyList<Requirement> Requirements => requirements;

    /// <summary>True when the selector does not restrict anything (Nothing is not empty: it restricts everything).</summary>
    public bool Empty => !nothing && requirements.Length == 0;

    /// <summary>False only for <see cref="Nothing"/> (k8s: Requirements() returns selectable=false).</summary>
    public bool Selectable => !nothing;

    /// <summary>labels.Parse: the string form used by ?labelSelector= and kubectl -l.</summary>
    /// <exception cref="SelectorParseException">with k8s's message.</exception>
    public static Selector Parse(string selector)
    {
        var reqs = new SelectorParser(selector).Parse();
        return new Selector(SortByKey(reqs), nothing: false);
    }

    /// <summary>labels.SelectorFromSet: key=value for each entry; an empty set selects everything.</summary>
    public static Selector FromSet(IReadOnlyDictionary<string, string>? set)
    {
        if (set is null || set.Count == 0)
        {
            return Everything;
        }
        var reqs = set.Select(kv => Requirement.CreateUnchecked(kv.Key, SelectorOperator.Equals, [kv.Value])).ToList();
        return new Selector(SortByKey(reqs), nothing: false);
    }

    /// <summary>
    /// metav1.LabelSelectorAsSelector: a null selector matches nothing, an empty one everything;
    /// matchLabels become "=" and matchExpressions In/NotIn/Exists/DoesNotExist.
    /// </summary>
    public static Selector FromLabelSelector(JsonNode? labelSelector)
    {
        if (labelSelector is null)
        {
            return Nothing;
        }
        if (labelSelector is not JsonObject obj)
        {
            throw new SelectorParseException("a label selector must be an object");
        }
        var matchLabels = obj["matchLabels"] as JsonObject;
        var matchExpressions = obj["matchExpressions"] as JsonArray;
        if ((matchLabels is null || matchLabels.Count == 0) && (matchExpressions is null || matchExpressions.Count == 0))
        {
            return Everything;
        }
        var reqs = new List<Requirement>();
        foreach (var (key, value) in matchLabels ?? [])
        {
            reqs.Add(Requirement.Create(key, SelectorOperator.Equals, [value?.GetValue<string>() ?? ""]));
        }
        foreach (var expr in matchExpressions ?? [])
        {
            var key = expr?["key"]?.GetValue<string>() ?? "";
            var opText = expr?["operator"]?.GetValue<string>() ?? "";
            var values = (expr?["values"] as JsonArray)?.Select(v => v?.GetValue<string>() ?? "").ToArray() ?? [];
            var op = opText switch
            {
                "In" => SelectorOperator.In,
                "NotIn" => SelectorOperator.NotIn,
                "Exists" => SelectorOperator.Exists,
                "DoesNotExist" => SelectorOperator.DoesNotExist,
                _ => throw new SelectorParseException($"{FieldErrors.GoQuote(opText)} is not a valid label selector operator"),
            };
            reqs.Add(Requirement.Create(key, op, values));
        }
        return new Selector(SortByKey(reqs), nothing: false);
    }

    /// <summary>A selector with more requirements (labels.Selector.Add); Nothing stays Nothing.</summary>
    public Selector Add(params Requirement[] more) =>
        nothing ? this : new Selector(SortByKey([.. requirements, .. more]), nothing: false);

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        if (nothing)
        {
            return false;
        }
        foreach (var r in requirements)
        {
            if (!r.Matches(labels))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Matches against the labels of an object's metadata.labels.</summary>
    public bool MatchesObject(JsonNode? obj) => Matches(LabelsOf(obj));

    /// <summary>The value a selector requires for <paramref name="label"/> (=, == or a one-value in), if any.</summary>
    public bool RequiresExactMatch(string label, out string value)
    {
        foreach (var r in requirements)
        {
            if (r.Key == label)
            {
                if (r.Operator is SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.In && r.Values.Count == 1)
                {
                    value = r.Values[0];
                    return true;
                }
                break;
            }
        }
        value = "";
        return false;
    }

    public override string ToString() => string.Join(",", requirements.Select(r => r.ToString()));

    /// <summary>metadata.labels of an object as a dictionary (empty when it has none).</summary>
    public static IReadOnlyDictionary<string, string> LabelsOf(JsonNode? obj)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj?["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                result[k] = v?.ToString() ?? "";
            }
        }
        return result;
    }

    // Go's sort.Sort is not stable, but requirements with equal keys keep no promised order there either;
    // a stable sort makes ours deterministic.
    private static Requirement[] SortByKey(IEnumerable<Requirement> reqs) =>
        [.. reqs.OrderBy(r => r.Key, StringComparer.Ordinal)];
}
