using System.Globalization;
using System.Text;
using MiniKube.Api.Validation;

namespace MiniKube.Api.Selectors;

/// <summary>
/// One term of a label selector (labels.Requirement). Build it with <see cref="Create"/>, which validates
/// exactly as k8s's NewRequirement does.
/// </summary>
public sealed class Requirement : IEquatable<Requirement>
{
    private readonly string[] values;

    private Requirement(string key, SelectorOperator op, string[] values)
    {
        Key = key;
        Operator = op;
        this.values = values;
    }

    public string Key { get; }

    public SelectorOperator Operator { get; }

    /// <summary>The values in the order given (the parser gives them sorted and without duplicates).</summary>
    public IReadOnlyList<string> Values => values;

    /// <summary>
    /// k8s NewRequirement. <paramref name="path"/> names the field in error messages ("" for none, which is
    /// how the string parser and LabelSelectorAsSelector call it).
    /// </summary>
    public static Requirement Create(string key, SelectorOperator op, IEnumerable<string> values, string path = "")
    {
        var vals = values.ToArray();
        var errs = new List<string>();
        var keyPath = Child(path, "key");
        var valuePath = Child(path, "values");
        if (ValidationRules.IsQualifiedName(key) is { Count: > 0 } keyErrs)
        {
            errs.Add(FieldErrors.Invalid(keyPath, key, string.Join("; ", keyErrs)));
        }
        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn:
                if (vals.Length == 0)
                {
                    errs.Add(FieldErrors.Invalid(valuePath, vals, "for 'in', 'notin' operators, values set can't be empty"));
                }
                break;
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.NotEquals:
                if (vals.Length != 1)
                {
                    errs.Add(FieldErrors.Invalid(valuePath, vals, "exact-match compatibility requires one single value"));
                }
                break;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist:
                if (vals.Length != 0)
                {
                    errs.Add(FieldErrors.Invalid(valuePath, vals, "values set must be empty for exists and does not exist"));
                }
                break;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                if (vals.Length != 1)
                {
                    errs.Add(FieldErrors.Invalid(valuePath, vals, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (var i = 0; i < vals.Length; i++)
                {
                    if (!TryParseInt64(vals[i], out _))
                    {
                        errs.Add(FieldErrors.Invalid($"{valuePath}[{i}]", vals[i], "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "unknown selector operator");
        }
        for (var i = 0; i < vals.Length; i++)
        {
            if (ValidationRules.IsValidLabelValue(vals[i]) is { Count: > 0 } valueErrs)
            {
                errs.Add(FieldErrors.Invalid($"{valuePath}[{i}][{key}]", vals[i], string.Join("; ", valueErrs)));
            }
        }
        if (errs.Count > 0)
        {
            throw new SelectorParseException(FieldErrors.Aggregate(errs));
        }
        return new Requirement(key, op, vals);
    }

    internal static Requirement CreateUnchecked(string key, SelectorOperator op, string[] values) => new(key, op, values);

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        string? value = null;
        var has = labels is not null && labels.TryGetValue(Key, out value);
        switch (Operator)
        {
            case SelectorOperator.In or SelectorOperator.Equals or SelectorOperator.DoubleEquals:
                return has && values.Contains(value);
            case SelectorOperator.NotIn or SelectorOperator.NotEquals:
                return !has || !values.Contains(value);
            case SelectorOperator.Exists:
                return has;
            case SelectorOperator.DoesNotExist:
                return !has;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                if (!has || !TryParseInt64(value!, out var actual) || values.Length != 1 || !TryParseInt64(values[0], out var bound))
                {
                    return false;
                }
                return Operator == SelectorOperator.GreaterThan ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>The canonical text k8s prints: values sorted, "in (a,b)" spelled " in (a,b)".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Operator == SelectorOperator.DoesNotExist)
        {
            sb.Append('!');
        }
        sb.Append(Key);
        switch (Operator)
        {
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist:
                return sb.ToString();
            case SelectorOperator.Equals: sb.Append('='); break;
            case SelectorOperator.DoubleEquals: sb.Append("=="); break;
            case SelectorOperator.NotEquals: sb.Append("!="); break;
            case SelectorOperator.In: sb.Append(" in ("); break;
            case SelectorOperator.NotIn: sb.Append(" notin ("); break;
            case SelectorOperator.GreaterThan: sb.Append('>'); break;
            case SelectorOperator.LessThan: sb.Append('<'); break;
        }
        var sorted = values.Order(StringComparer.Ordinal);
        sb.AppendJoin(',', sorted);
        if (Operator is SelectorOperator.In or SelectorOperator.NotIn)
        {
            sb.Append(')');
        }
        return sb.ToString();
    }

    public bool Equals(Requirement? other) =>
        other is not null && Key == other.Key && Operator == other.Operator && values.SequenceEqual(other.values);

    public override bool Equals(object? obj) => Equals(obj as Requirement);

    public override int GetHashCode() => HashCode.Combine(Key, Operator, values.Length);

    // Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, nothing else.
    internal static bool TryParseInt64(string s, out long result) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);

    private static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
