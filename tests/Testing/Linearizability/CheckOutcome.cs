namespace MiniKube.Testing.Linearizability;

public enum CheckOutcome
{
    Linearizable,
    NotLinearizable,

    /// <summary>The search ran out of time (or was cancelled) before deciding.</summary>
    Unknown,
}
