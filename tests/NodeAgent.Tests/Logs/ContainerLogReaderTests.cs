using System.Text;
using Microsoft.Extensions.Time.Testing;
using MiniKube.NodeAgent.Logs;

namespace MiniKube.NodeAgent.Tests.Logs;

public sealed class ContainerLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"mk-log-{Guid.NewGuid():N}", "0.log");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));

    private void WriteLines(int count)
    {
        using var log = new ContainerLog(_path, _time);
        for (var i = 1; i <= count; i++)
        {
            log.Write(i % 2 == 0 ? "stderr" : "stdout", $"line {i}");
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private async Task<string> ReadAsync(LogOptions options)
    {
        using var output = new MemoryStream();
        await ContainerLogReader.CopyAsync(_path, options, output, () => false, CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public async Task Log_reads_back_every_line_of_both_streams()
    {
        WriteLines(3);

        Assert.Equal("line 1\nline 2\nline 3\n", await ReadAsync(new LogOptions()));
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(2, "line 4\nline 5\n")]
    [InlineData(50, "line 1\nline 2\nline 3\nline 4\nline 5\n")]
    public async Task TailLines_keeps_the_last_lines(long tail, string expected)
    {
        WriteLines(5);

        Assert.Equal(expected, await ReadAsync(new LogOptions { TailLines = tail }));
    }

    [Fact]
    public async Task Timestamps_prefix_each_line_with_its_time()
    {
        WriteLines(2);

        Assert.Equal("2026-12-01T10:00:00.0000000Z line 1\n2026-12-01T10:00:01.0000000Z line 2\n", await ReadAsync(new LogOptions { Timestamps = true }));
    }

    [Fact]
    public async Task LimitBytes_cuts_the_output()
    {
        WriteLines(3);

        Assert.Equal("line 1\nli", await ReadAsync(new LogOptions { LimitBytes = 9 }));
    }

    [Fact]
    public async Task Follow_reads_lines_written_later_until_the_container_stops()
    {
        using var log = new ContainerLog(_path, _time);
        log.Write("stdout", "first");
        var running = true;
        using var output = new MemoryStream();
        var copy = ContainerLogReader.CopyAsync(_path, new LogOptions { Follow = true }, output, () => Volatile.Read(ref running), CancellationToken.None);

        log.Write("stdout", "second");
        Volatile.Write(ref running, false);
        await copy.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("first\nsecond\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
}
