namespace MiniKube.Api.Quantities;

/// <summary>How a quantity is written back: k8s keeps the form of the suffix it was parsed with.</summary>
public enum QuantityFormat
{
    /// <summary>Decimal SI suffixes: n, u, m, (none), k, M, G, T, P, E.</summary>
    DecimalSI = 0,

    /// <summary>Binary SI suffixes: Ki, Mi, Gi, Ti, Pi, Ei.</summary>
    BinarySI,

    /// <summary>An exponent: 1e3, 12e-3.</summary>
    DecimalExponent,
}
