namespace MiniKube.Api.Selectors;

/// <summary>One term of a field selector: field = value, or field != value (fields.Requirement).</summary>
public sealed record FieldRequirement(string Field, SelectorOperator Operator, string Value)
{
    /// <summary>A missing field reads as "" as in k8s's fields.Set, so "spec.nodeName=" selects unscheduled pods.</summary>
    public bool Matches(Func<string, string?> fieldValue)
    {
        var actual = fieldValue(Field) ?? "";
        return Operator == SelectorOperator.NotEquals ? actual != Value : actual == Value;
    }

    public override string ToString() =>
        Field + (Operator == SelectorOperator.NotEquals ? "!=" : "=") + FieldSelector.EscapeValue(Value);
}
