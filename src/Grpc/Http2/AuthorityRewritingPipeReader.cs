using System.Buffers;
using System.IO.Pipelines;

namespace MiniKube.Grpc.Http2;

/// <summary>
/// Wraps a connection's input and hands Kestrel the same bytes, except that request header blocks
/// with a URL as <c>:authority</c> are rewritten (see <see cref="HeaderBlockRewriter"/>).
/// </summary>
/// <remarks>
/// Frames are checked as they arrive. Bytes outside header blocks are shown to the consumer as
/// slices of the inner reader's own buffers, so they pass with no copy, even mid-frame. A header
/// block (HEADERS and its CONTINUATIONs) is held back until complete and decoded; if it needs no
/// rewrite, it too passes as the inner buffers. If it does, the consumer is first given the bytes
/// before it, then the rewritten block as one array (one HEADERS frame without padding), then the
/// bytes after it. Offsets are counted from the start of the connection, so that positions in the
/// inner buffers and in the replacement can be told apart and mapped back.
/// Input that is not HTTP/2 (no client preface) or that breaks framing rules is passed through
/// untouched from then on: Kestrel rejects it itself, and a mirror of the HPACK table that missed a
/// block could no longer be trusted. PipeReader calls are never concurrent.
/// </remarks>
internal sealed class AuthorityRewritingPipeReader(PipeReader inner) : PipeReader
{
    /// <summary>
    /// Header blocks larger than this are not held back: the transport stops filling its buffer at
    /// about 1 MiB (Kestrel's MaxRequestBufferSize), and Kestrel's own header limits are far smaller.
    /// </summary>
    internal const int MaxHeaderBlockSize = 256 * 1024;

    private readonly HeaderBlockRewriter _rewriter = new();
    private Mode _mode = Mode.Preface;

    private long _innerStart;
    private long _exposeStart;
    private long _scanned;
    private long _nextFrame;

    private ReadOnlySequence<byte> _innerBuffer;
    private bool _innerReadPending;
    private ReadOnlySequence<byte> _returned;
    private bool _returnedSubstitute;

    private byte[]? _substitute;
    private int _substituteOffset;
    private bool _deferredCancel;
    private long _substituteStart;
    private long _substituteEnd;

    private enum Mode
    {
        Preface,
        Frames,
        Passthrough,
    }

    /// <summary>The rewriter's table mirror, for tests.</summary>
    internal HeaderBlockRewriter Rewriter => _rewriter;

    private bool SubstituteReady => _substitute is not null && _exposeStart == _substituteStart && !_innerReadPending;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (SubstituteReady)
        {
            return new ValueTask<ReadResult>(ReturnSubstitute());
        }

        var read = inner.ReadAsync(cancellationToken);
        if (!read.IsCompletedSuccessfully)
        {
            return ReadSlowAsync(read, cancellationToken);
        }

        if (TryProcess(read.Result, out var result))
        {
            return new ValueTask<ReadResult>(result);
        }

        return SubstituteReady
            ? new ValueTask<ReadResult>(ReturnSubstitute())
            : ReadSlowAsync(inner.ReadAsync(cancellationToken), cancellationToken);
    }

    private async ValueTask<ReadResult> ReadSlowAsync(ValueTask<ReadResult> read, CancellationToken cancellationToken)
    {
        var innerResult = await read.ConfigureAwait(false);
        while (true)
        {
            if (TryProcess(innerResult, out var result))
            {
                return result;
            }

            if (SubstituteReady)
            {
                return ReturnSubstitute();
            }

            innerResult = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (SubstituteReady)
        {
            result = ReturnSubstitute();
            return true;
        }

        if (inner.TryRead(out var innerResult))
        {
            if (TryProcess(innerResult, out result))
            {
                return true;
            }

            if (SubstituteReady)
            {
                result = ReturnSubstitute();
                return true;
            }
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_returnedSubstitute)
        {
            _returnedSubstitute = false;
            _substituteOffset += (int)_returned.Slice(0, consumed).Length;
            if (_substituteOffset == _substitute!.Length)
            {
                // The replaced inner bytes count as consumed; the next inner AdvanceTo releases them.
                _exposeStart = _substituteEnd;
                _substitute = null;
            }

            return;
        }

        if (!_innerReadPending)
        {
            throw new InvalidOperationException("AdvanceTo was called without a pending read.");
        }

        var returnedEnd = _exposeStart - _innerStart + _returned.Length;
        var consumedOffset = _innerBuffer.Slice(0, consumed).Length;
        var examinedOffset = _innerBuffer.Slice(0, examined).Length;

        // Having seen everything shown means "wait for more input" only when the held-back bytes
        // need more input; a rewritten block waiting to be shown does not.
        var innerExamined = examinedOffset < returnedEnd ? examined
            : _substitute is not null ? _innerBuffer.GetPosition(returnedEnd)
            : _innerBuffer.End;
        inner.AdvanceTo(consumed, innerExamined);
        _innerReadPending = false;
        _innerStart += consumedOffset;
        _exposeStart = Math.Max(_exposeStart, _innerStart);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <summary>
    /// Scans what the inner read returned. True with something to show; false after giving the
    /// inner buffer back, either to wait for more input or because a rewritten block is next.
    /// </summary>
    private bool TryProcess(ReadResult innerResult, out ReadResult result)
    {
        _innerBuffer = innerResult.Buffer;
        _innerReadPending = true;
        var innerEnd = _innerStart + _innerBuffer.Length;
        Scan(innerResult.IsCompleted);

        var exposeEnd = _substitute is not null ? _substituteStart : _scanned;
        if (exposeEnd == _exposeStart && (_substitute is not null || (!innerResult.IsCompleted && !innerResult.IsCanceled)))
        {
            // Nothing to show: release what was consumed (bytes a rewritten block replaced) and,
            // unless a rewritten block is ready, wait for more input.
            var position = _innerBuffer.GetPosition(_exposeStart - _innerStart);
            inner.AdvanceTo(position, _substitute is not null ? position : _innerBuffer.End);
            _innerReadPending = false;
            _innerStart = _exposeStart;
            // A cancelled read is reported once by the inner pipe: pass it on with the rewritten block.
            _deferredCancel |= innerResult.IsCanceled;
            result = default;
            return false;
        }

        _returned = _innerBuffer.Slice(_exposeStart - _innerStart, exposeEnd - _exposeStart);
        _returnedSubstitute = false;
        result = new ReadResult(_returned, innerResult.IsCanceled, innerResult.IsCompleted && exposeEnd == innerEnd);
        return true;
    }

    private ReadResult ReturnSubstitute()
    {
        _returned = new ReadOnlySequence<byte>(_substitute!, _substituteOffset, _substitute!.Length - _substituteOffset);
        _returnedSubstitute = true;
        var cancelled = _deferredCancel;
        _deferredCancel = false;
        return new ReadResult(_returned, cancelled, isCompleted: false);
    }

    private void Scan(bool innerCompleted)
    {
        var innerEnd = _innerStart + _innerBuffer.Length;
        while (_substitute is null && _scanned < innerEnd)
        {
            if (_mode == Mode.Passthrough)
            {
                _scanned = innerEnd;
            }
            else if (_mode == Mode.Preface)
            {
                if (!ScanPreface(innerEnd))
                {
                    break;
                }
            }
            else if (_scanned < _nextFrame)
            {
                // Inside the payload of a frame that needs no inspection.
                _scanned = Math.Min(_nextFrame, innerEnd);
            }
            else if (!ScanFrame(innerEnd))
            {
                break;
            }
        }

        if (innerCompleted && _substitute is null)
        {
            // The connection's input ended mid-frame: Kestrel gets the truncated tail as it is.
            _scanned = innerEnd;
        }
    }

    private bool ScanPreface(long innerEnd)
    {
        var preface = Http2Frame.ClientPreface;
        var available = (int)Math.Min(preface.Length, innerEnd - _scanned);
        Span<byte> received = stackalloc byte[preface.Length];
        _innerBuffer.Slice(_scanned - _innerStart, available).CopyTo(received);
        if (!received[..available].SequenceEqual(preface[..available]))
        {
            _mode = Mode.Passthrough;
            return true;
        }

        if (available < preface.Length)
        {
            return false;
        }

        _scanned += preface.Length;
        _nextFrame = _scanned;
        _mode = Mode.Frames;
        return true;
    }

    /// <summary>Looks at the frame header at <see cref="_scanned"/>; false when more input is needed.</summary>
    private bool ScanFrame(long innerEnd)
    {
        if (innerEnd - _scanned < Http2Frame.HeaderSize)
        {
            return false;
        }

        var frame = ReadFrameHeader(_scanned);
        if (frame.Type == Http2Frame.TypePushPromise)
        {
            // Only servers push; Kestrel closes the connection, and its header block is not ours to decode.
            _mode = Mode.Passthrough;
            return true;
        }

        if (frame.Type != Http2Frame.TypeHeaders)
        {
            _nextFrame = _scanned + frame.TotalSize;
            _scanned = Math.Min(_nextFrame, innerEnd);
            return true;
        }

        return ScanHeaderBlock(frame, innerEnd);
    }

    private bool ScanHeaderBlock(Http2Frame headers, long innerEnd)
    {
        var blockStart = _scanned;
        var position = blockStart;
        var frameCount = 0;
        while (true)
        {
            if (innerEnd - position < Http2Frame.HeaderSize)
            {
                return NeedMoreForBlock(blockStart, innerEnd);
            }

            var frame = frameCount == 0 ? headers : ReadFrameHeader(position);
            if (frameCount > 0 && (frame.Type != Http2Frame.TypeContinuation || frame.StreamId != headers.StreamId))
            {
                // A header block interrupted by another frame is a connection error Kestrel reports itself.
                _mode = Mode.Passthrough;
                return true;
            }

            if (innerEnd - position < frame.TotalSize)
            {
                return NeedMoreForBlock(blockStart, innerEnd);
            }

            position += frame.TotalSize;
            frameCount++;
            if (position - blockStart > MaxHeaderBlockSize)
            {
                _mode = Mode.Passthrough;
                return true;
            }

            if (frame.Has(Http2Frame.FlagEndHeaders))
            {
                break;
            }
        }

        var blockLength = (int)(position - blockStart);
        var raw = _innerBuffer.Slice(blockStart - _innerStart, blockLength);
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> bytes;
            if (raw.IsSingleSegment)
            {
                bytes = raw.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent(blockLength);
                raw.CopyTo(rented);
                bytes = rented.AsSpan(0, blockLength);
            }

            if (!TryRewrite(headers, bytes, frameCount, out var substitute))
            {
                _mode = Mode.Passthrough;
                return true;
            }

            _scanned = _nextFrame = position;
            if (substitute is not null)
            {
                _substitute = substitute;
                _substituteOffset = 0;
                _substituteStart = blockStart;
                _substituteEnd = position;
            }

            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool NeedMoreForBlock(long blockStart, long innerEnd)
    {
        if (innerEnd - blockStart > MaxHeaderBlockSize)
        {
            _mode = Mode.Passthrough;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Decodes the block in <paramref name="frames"/> (HEADERS plus CONTINUATIONs, with frame
    /// headers). False when it is malformed; else <paramref name="substitute"/> is the replacement
    /// frames, or null when the block passes as it is.
    /// </summary>
    private bool TryRewrite(Http2Frame headers, ReadOnlySpan<byte> frames, int frameCount, out byte[]? substitute)
    {
        substitute = null;
        var payload = frames.Slice(Http2Frame.HeaderSize, headers.Length);
        var padLength = 0;
        var offset = 0;
        if (headers.Has(Http2Frame.FlagPadded))
        {
            if (payload.IsEmpty)
            {
                return false;
            }

            padLength = payload[0];
            offset = 1;
        }

        var priority = ReadOnlySpan<byte>.Empty;
        if (headers.Has(Http2Frame.FlagPriority))
        {
            if (payload.Length < offset + Http2Frame.PrioritySize)
            {
                return false;
            }

            priority = payload.Slice(offset, Http2Frame.PrioritySize);
            offset += Http2Frame.PrioritySize;
        }

        var fragmentLength = payload.Length - offset - padLength;
        if (fragmentLength < 0)
        {
            return false;
        }

        byte[]? rewritten;
        try
        {
            if (frameCount == 1)
            {
                rewritten = _rewriter.Process(payload.Slice(offset, fragmentLength));
            }
            else
            {
                // CONTINUATION payloads are pure fragment: join them behind the HEADERS fragment.
                var joined = ArrayPool<byte>.Shared.Rent(frames.Length);
                try
                {
                    var length = 0;
                    payload.Slice(offset, fragmentLength).CopyTo(joined);
                    length += fragmentLength;
                    for (var position = Http2Frame.HeaderSize + headers.Length; position < frames.Length;)
                    {
                        var continuation = Http2Frame.Read(frames[position..]);
                        frames.Slice(position + Http2Frame.HeaderSize, continuation.Length).CopyTo(joined.AsSpan(length));
                        length += continuation.Length;
                        position += continuation.TotalSize;
                    }

                    rewritten = _rewriter.Process(joined.AsSpan(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(joined);
                }
            }
        }
        catch (HpackException)
        {
            return false;
        }

        if (rewritten is not null)
        {
            substitute = BuildFrames(headers, priority, rewritten);
        }

        return true;
    }

    /// <summary>
    /// One HEADERS frame holding the whole block, unpadded, keeping END_STREAM and the priority
    /// fields; CONTINUATION frames only if the block exceeds the 16 KiB every peer must accept.
    /// </summary>
    internal static byte[] BuildFrames(Http2Frame headers, ReadOnlySpan<byte> priority, ReadOnlySpan<byte> block)
    {
        var firstCapacity = Http2Frame.MinMaxFrameSize - priority.Length;
        var firstLength = Math.Min(block.Length, firstCapacity);
        var continuations = (block.Length - firstLength + Http2Frame.MinMaxFrameSize - 1) / Http2Frame.MinMaxFrameSize;
        var output = new byte[((1 + continuations) * Http2Frame.HeaderSize) + priority.Length + block.Length];

        var flags = (byte)(headers.Flags & (Http2Frame.FlagEndStream | Http2Frame.FlagPriority));
        if (continuations == 0)
        {
            flags |= Http2Frame.FlagEndHeaders;
        }

        new Http2Frame(priority.Length + firstLength, Http2Frame.TypeHeaders, flags, headers.StreamId).Write(output);
        var written = Http2Frame.HeaderSize;
        priority.CopyTo(output.AsSpan(written));
        written += priority.Length;
        block[..firstLength].CopyTo(output.AsSpan(written));
        written += firstLength;

        for (var sent = firstLength; sent < block.Length;)
        {
            var length = Math.Min(Http2Frame.MinMaxFrameSize, block.Length - sent);
            var last = sent + length == block.Length;
            new Http2Frame(length, Http2Frame.TypeContinuation, last ? Http2Frame.FlagEndHeaders : (byte)0, headers.StreamId).Write(output.AsSpan(written));
            written += Http2Frame.HeaderSize;
            block.Slice(sent, length).CopyTo(output.AsSpan(written));
            written += length;
            sent += length;
        }

        return output;
    }

    private Http2Frame ReadFrameHeader(long offset)
    {
        Span<byte> header = stackalloc byte[Http2Frame.HeaderSize];
        _innerBuffer.Slice(offset - _innerStart, Http2Frame.HeaderSize).CopyTo(header);
        return Http2Frame.Read(header);
    }
}
