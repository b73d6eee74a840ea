using MiniKube.Grpc.Protocol;

namespace MiniKube.Grpc.Client;

/// <summary>
/// One token for everything that ends a call early: the caller's token, the deadline, and disposal
/// of a streaming call; and, once it fired, which of them it was.
/// </summary>
internal sealed class CallCancellation : IDisposable
{
    private readonly CancellationTokenSource? _source;
    private readonly CancellationToken _callerToken;
    private volatile bool _disposedByCaller;
    private volatile bool _cancelledByOperation;

    private CallCancellation(CallOptions options, bool cancellable)
    {
        _callerToken = options.CancellationToken;
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            Deadline = deadline.Kind == DateTimeKind.Local ? deadline.ToUniversalTime() : deadline;
            Timeout = Deadline.Value - DateTime.UtcNow;
        }

        // A unary call without a deadline needs no source of its own: the caller's token is enough.
        if (Deadline is null && !cancellable)
        {
            Token = _callerToken;
            return;
        }

        _source = _callerToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_callerToken) : new CancellationTokenSource();
        if (Timeout <= TimeSpan.Zero)
        {
            _source.Cancel();
        }
        else if (Timeout <= GrpcTimeout.MaxTimerDelay)
        {
            _source.CancelAfter(Timeout.Value);
        }

        Token = _source.Token;
    }

    public CancellationToken Token { get; }

    public DateTime? Deadline { get; }

    /// <summary>The time left at the start of the call, sent as grpc-timeout.</summary>
    public TimeSpan? Timeout { get; }

    public bool DeadlinePassed => Timeout <= TimeSpan.Zero;

    public static CallCancellation ForUnary(CallOptions options) => new(options, cancellable: false);

    public static CallCancellation ForStream(CallOptions options) => new(options, cancellable: true);

    /// <summary>The status of a call that ended because <see cref="Token"/> fired.</summary>
    public Status CancelledStatus
        => _callerToken.IsCancellationRequested || _cancelledByOperation ? new Status(StatusCode.Cancelled, GrpcProtocol.CancelledDetail)
            : _disposedByCaller ? new Status(StatusCode.Cancelled, "the call was disposed")
            // Nothing else cancels the source, so it was the deadline's timer.
            : Deadline is not null ? new Status(StatusCode.DeadlineExceeded, GrpcProtocol.DeadlineExceededDetail)
            : new Status(StatusCode.Cancelled, GrpcProtocol.CancelledDetail);

    /// <summary>Cancels the call because its owner disposed it.</summary>
    public void CancelByDispose()
    {
        _disposedByCaller = true;
        Cancel();
    }

    /// <summary>Cancels the call because the token of one of its reads or writes fired.</summary>
    public void CancelByOperation()
    {
        _cancelledByOperation = true;
        Cancel();
    }

    private void Cancel()
    {
        try
        {
            _source?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    public void Dispose() => _source?.Dispose();
}
