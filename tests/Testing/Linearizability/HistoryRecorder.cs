using System.Diagnostics;

namespace MiniKube.Testing.Linearizability;

/// <summary>
/// Records the operations of concurrent clients into a history for <see cref="LinearizabilityChecker"/>.
/// The call time is taken just before the request is sent and the return time just after the
/// answer arrived, on one monotonic clock (<see cref="Stopwatch"/> ticks unless another is given),
/// so every real-time order between operations is kept. Thread-safe.
/// </summary>
/// <remarks>
/// An exception is an unknown outcome (the request may have been applied: a deadline passed, the
/// connection broke) unless <c>definitelyFailed</c> says the server refused it without applying
/// it, in which case the operation is left out of the history, as Jepsen drops :fail operations.
/// </remarks>
public sealed class HistoryRecorder<TInput, TOutput>
    where TOutput : class
{
    private readonly Func<long> _clock;
    private readonly Func<Exception, bool> _definitelyFailed;
    private readonly List<Operation<TInput, TOutput>> _operations = [];
    private readonly Lock _lock = new();
    private int _unknown;
    private int _failed;

    public HistoryRecorder(Func<Exception, bool>? definitelyFailed = null, Func<long>? clock = null)
    {
        _definitelyFailed = definitelyFailed ?? (_ => false);
        _clock = clock ?? Stopwatch.GetTimestamp;
    }

    /// <summary>Operations whose outcome is unknown, so far.</summary>
    public int UnknownCount => Volatile.Read(ref _unknown);

    /// <summary>Operations that failed definitely and were left out, so far.</summary>
    public int FailedCount => Volatile.Read(ref _failed);

    /// <summary>Runs <paramref name="call"/> as one operation of <paramref name="clientId"/>; returns its output, or null if the outcome is not known.</summary>
    public async Task<TOutput?> RecordAsync(int clientId, TInput input, Func<Task<TOutput>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var start = _clock();
        TOutput output;
        try
        {
            output = await call().ConfigureAwait(false);
        }
        catch (Exception e) when (_definitelyFailed(e))
        {
            Interlocked.Increment(ref _failed);
            return null;
        }
        catch (Exception)
        {
            Add(Operation.Unknown<TInput, TOutput>(clientId, input, start));
            Interlocked.Increment(ref _unknown);
            return null;
        }

        Add(new Operation<TInput, TOutput>(clientId, input, output, start, _clock()));
        return output;
    }

    /// <summary>Everything recorded so far, in the order the operations finished.</summary>
    public IReadOnlyList<Operation<TInput, TOutput>> History()
    {
        lock (_lock)
        {
            return [.. _operations];
        }
    }

    private void Add(Operation<TInput, TOutput> operation)
    {
        lock (_lock)
        {
            _operations.Add(operation);
        }
    }
}
