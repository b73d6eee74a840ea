namespace MiniKube.Client;

/// <summary>One page of a typed list: the items, the list's resourceVersion and the continue token of the next page.</summary>
public sealed record ObjectList<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);
