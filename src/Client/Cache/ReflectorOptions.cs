namespace MiniKube.Client.Cache;

/// <summary>What a reflector lists and watches, and how it paces itself.</summary>
public sealed record ReflectorOptions
{
    /// <summary>Null: every namespace.</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Every this often, each cached object is handed out again as a <see cref="DeltaType.Sync"/>; zero: never.</summary>
    public TimeSpan ResyncPeriod { get; init; }

    /// <summary>The page size of the initial list (0: one request).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Watches ask the server to end them after a random time in [min, 2·min), as client-go does, so that
    /// connections are spread and recycled.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    public double BackoffJitter { get; init; } = 1.0;

    /// <summary>Seeds the jitter and the watch timeouts.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Told of every failed list or watch before the reflector backs off and retries.</summary>
    public Action<Exception>? OnError { get; init; }
}
