using Microsoft.Extensions.Time.Testing;
using MiniKube.Api.Core;
using MiniKube.NodeAgent.Logs;
using MiniKube.NodeAgent.Runtime;

namespace MiniKube.NodeAgent.Tests.Runtime;

public sealed class ProcessRuntimeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"mk-proc-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new();

    private static ContainerStartRequest Request(ContainerLog log, List<string> command, Dictionary<string, string>? env = null) =>
        new("default", "p", new Container { Name = "c", Image = "busybox", Command = command }, env ?? [], log);

    [Fact]
    public async Task Process_runs_the_command_with_its_environment_and_reports_the_exit_code()
    {
        var runtime = new ProcessRuntime(_root, _time);
        using var log = new ContainerLog(Path.Combine(_root, "c.log"), _time);

        var container = runtime.Start(Request(log, ["sh", "-c", "echo hello $WHO; echo oops >&2; exit 3"], new() { ["WHO"] = "world" }));
        var code = await container.Exited.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(3, code);
        // Output lines are delivered by the reader threads, which may finish just after the exit.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string text;
        while (!(text = File.ReadAllText(log.Path)).Contains("oops", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Contains("stdout F hello world", text, StringComparison.Ordinal);
        Assert.Contains("stderr F oops", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_sends_SIGTERM_to_the_whole_tree()
    {
        var runtime = new ProcessRuntime(_root, _time);
        using var log = new ContainerLog(Path.Combine(_root, "c.log"), _time);
        var container = runtime.Start(Request(log, ["sh", "-c", "echo up; sleep 30"]));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.ReadAllText(log.Path).Contains("up", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        container.Stop(TimeSpan.FromSeconds(30));

        Assert.Equal(143, await container.Exited.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Missing_executable_is_a_start_error()
    {
        var runtime = new ProcessRuntime(_root, _time);
        using var log = new ContainerLog(Path.Combine(_root, "c.log"), _time);

        var e = Assert.Throws<ContainerStartException>(() => runtime.Start(Request(log, ["/no/such/binary"])));
        Assert.Contains("/no/such/binary", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
