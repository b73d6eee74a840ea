using System.Text;

namespace MiniKube.NodeAgent.Logs;

/// <summary>Reads a <see cref="ContainerLog"/> file back as the text kubectl logs shows: the tail, optionally the times, and with follow the lines still coming.</summary>
public static class ContainerLogReader
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Copies the log at <paramref name="path"/> to <paramref name="output"/>. With follow, keeps reading until
    /// <paramref name="stillRunning"/> says the container is gone and the file is drained, or the request is aborted.
    /// </summary>
    public static async Task CopyAsync(string path, LogOptions options, Stream output, Func<bool> stillRunning, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file, Encoding.UTF8);
        var written = 0L;
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lines.Add(line);
        }

        var start = options.TailLines is { } tail ? Math.Max(0, lines.Count - (int)Math.Min(tail, int.MaxValue)) : 0;
        for (var i = start; i < lines.Count; i++)
        {
            if (!await WriteAsync(lines[i]).ConfigureAwait(false))
            {
                return;
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (!options.Follow)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var running = stillRunning();
            var any = false;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                any = true;
                if (!await WriteAsync(line).ConfigureAwait(false))
                {
                    return;
                }
            }

            if (any)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!running)
            {
                return;
            }

            await Task.Delay(FollowPoll, cancellationToken).ConfigureAwait(false);
        }

        async Task<bool> WriteAsync(string line)
        {
            if (!TryParse(line, out var time, out var text))
            {
                return true;
            }

            if (options.SinceTime is { } since && time < since)
            {
                return true;
            }

            var outLine = options.Timestamps ? $"{ContainerLog.FormatTime(time)} {text}\n" : text + "\n";
            var bytes = Encoding.UTF8.GetBytes(outLine);
            if (options.LimitBytes is { } limit)
            {
                var left = limit - written;
                if (left <= 0)
                {
                    return false;
                }

                if (bytes.Length > left)
                {
                    await output.WriteAsync(bytes.AsMemory(0, (int)left), cancellationToken).ConfigureAwait(false);
                    written = limit;
                    return false;
                }
            }

            await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            written += bytes.Length;
            return true;
        }
    }

    /// <summary>Splits "time stream tag text"; a line that is not in that form (a torn write) is skipped.</summary>
    public static bool TryParse(string line, out DateTimeOffset time, out string text)
    {
        time = default;
        text = "";
        var first = line.IndexOf(' ', StringComparison.Ordinal);
        if (first < 0 || !DateTimeOffset.TryParse(line.AsSpan(0, first), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out time))
        {
            return false;
        }

        var second = line.IndexOf(' ', first + 1);
        var third = second < 0 ? -1 : line.IndexOf(' ', second + 1);
        if (third < 0)
        {
            return false;
        }

        text = line[(third + 1)..];
        return true;
    }
}
