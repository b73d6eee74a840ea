namespace MiniKube.Store.Mvcc;

/// <summary>
/// A point in the store's history: <see cref="Main"/> is the revision of a write transaction
/// (what etcd clients see as mod_revision and header.revision), <see cref="Sub"/> orders the
/// changes within it.
/// </summary>
public readonly record struct Revision(long Main, int Sub) : IComparable<Revision>
{
    public int CompareTo(Revision other) => Main != other.Main ? Main.CompareTo(other.Main) : Sub.CompareTo(other.Sub);

    public static bool operator <(Revision left, Revision right) => left.CompareTo(right) < 0;

    public static bool operator <=(Revision left, Revision right) => left.CompareTo(right) <= 0;

    public static bool operator >(Revision left, Revision right) => left.CompareTo(right) > 0;

    public static bool operator >=(Revision left, Revision right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Main}.{Sub}";
}
