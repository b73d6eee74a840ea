namespace MiniKube.Client.Cache;

/// <summary>One change the reflector applied to its indexer; <see cref="Old"/> is set for updates and deletes.</summary>
#pragma warning disable CA1720 // as the watch event's object
public readonly record struct Delta<T>(DeltaType Type, T Object, T? Old)
    where T : class;
#pragma warning restore CA1720
