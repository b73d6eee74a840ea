namespace MiniKube.Store.Lease;

/// <summary>Lease errors clients can cause (lease/lessor.go).</summary>
public sealed class LeaseException(LeaseError error) : Exception(error.ToString())
{
    public LeaseError Error { get; } = error;
}

public enum LeaseError
{
    NotFound,
    AlreadyExists,
    TtlTooLarge,
}
