using System.Globalization;

namespace MiniKube.Grpc.Protocol;

/// <summary>The grpc-timeout header: 1 to 8 ASCII digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>The longest delay a CancellationTokenSource timer accepts; longer timeouts are left unarmed.</summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        long ticks;
        switch (value[^1])
        {
            case 'H': ticks = amount * TimeSpan.TicksPerHour; break;
            case 'M': ticks = amount * TimeSpan.TicksPerMinute; break;
            case 'S': ticks = amount * TimeSpan.TicksPerSecond; break;
            case 'm': ticks = amount * TimeSpan.TicksPerMillisecond; break;
            case 'u': ticks = amount * TimeSpan.TicksPerMicrosecond; break;
            // Rounded up: a 1n timeout is still a timeout, not "none".
            case 'n': ticks = (amount + 99) / 100; break;
            default: return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats like grpc-go's encodeTimeout: the finest unit whose value fits in 8 digits, rounded up.</summary>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "0n";
        }

        var nanos = timeout.Ticks <= long.MaxValue / 100 ? timeout.Ticks * 100 : long.MaxValue;
        ReadOnlySpan<(long Nanos, char Unit)> units =
        [
            (1, 'n'),
            (1_000, 'u'),
            (1_000_000, 'm'),
            (1_000_000_000, 'S'),
            (60_000_000_000, 'M'),
            (3_600_000_000_000, 'H'),
        ];
        foreach (var (unitNanos, unit) in units)
        {
            var amount = (nanos / unitNanos) + (nanos % unitNanos > 0 ? 1 : 0);
            if (amount <= MaxValue)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{amount}{unit}");
            }
        }

        return "99999999H";
    }
}
