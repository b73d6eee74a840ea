using MiniKube.Etcd.Api;

namespace MiniKube.Controllers.Common;

/// <summary>Go's time.ParseDuration for the flags ("40s", "1m30s", "500ms", "2h"): the project's <see cref="GoDuration"/>.</summary>
public static class Durations
{
    public static TimeSpan Parse(string text) => GoDuration.Parse(text);
}
