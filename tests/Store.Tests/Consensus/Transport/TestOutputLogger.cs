using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MiniKube.Store.Tests.Consensus.Transport;

/// <summary>Transport logs in the test's output, so a failed run shows what the streams did.</summary>
public sealed class TestOutputLogger(ITestOutputHelper output, string name) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {name} {logLevel}: {formatter(state, exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; late lines from background loops have nowhere to go.
        }
    }
}
