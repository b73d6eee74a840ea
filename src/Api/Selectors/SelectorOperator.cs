namespace MiniKube.Api.Selectors;

/// <summary>The operators of k8s.io/apimachinery/pkg/selection.</summary>
public enum SelectorOperator
{
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
