using System.Globalization;

namespace MiniKube.Cli.Bench.E2e;

/// <summary>
/// A process's CPU time so far and its peak and current resident memory, from <c>/proc/&lt;pid&gt;/stat</c> (utime +
/// stime) and <c>/proc/&lt;pid&gt;/status</c> (VmHWM, VmRSS). Null fields when the process is gone.
/// </summary>
public sealed record ProcessUsage(TimeSpan? Cpu, long? PeakRssBytes, long? RssBytes)
{
    /// <summary>Linux reports times in USER_HZ ticks, 100 a second on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The usage of <paramref name="pid"/>, or all fields null when there is no process (no pid).</summary>
    public static ProcessUsage ReadIfAny(int? pid) => pid is { } known ? Read(known) : new ProcessUsage(null, null, null);

    public static ProcessUsage Read(int pid)
    {
        TimeSpan? cpu = null;
        long? peak = null;
        long? rss = null;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name in parentheses may hold spaces; the fields after it are space-separated, from field 3 (state).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            cpu = TimeSpan.FromSeconds(ticks / TicksPerSecond);
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = KiB(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = KiB(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
        }

        return new ProcessUsage(cpu, peak, rss);
    }

    /// <summary>"VmHWM:\t  123456 kB" in bytes.</summary>
    private static long? KiB(string line)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
    }
}
