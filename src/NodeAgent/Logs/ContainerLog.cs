using System.Globalization;
using System.Text;

namespace MiniKube.NodeAgent.Logs;

/// <summary>
/// One container run's log file, in the CRI's format (what the kubelet reads back for containerLogs): a line per
/// output line, "&lt;RFC 3339 time&gt; &lt;stdout|stderr&gt; F &lt;text&gt;". Thread-safe: stdout and stderr are written from two readers.
/// </summary>
public sealed class ContainerLog : IDisposable
{
    private readonly TimeProvider _time;
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public ContainerLog(string path, TimeProvider time)
    {
        Path = path;
        _time = time;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), new UTF8Encoding(false))
        {
            AutoFlush = true,
        };
    }

    public string Path { get; }

    public void Write(string stream, string line)
    {
        var text = $"{FormatTime(_time.GetUtcNow())} {stream} F {line}\n";
        lock (_gate)
        {
            if (!_disposed)
            {
                _writer.Write(text);
            }
        }
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _writer.Dispose();
            }
        }
    }
}
