using System.Text;
using MiniKube.Store.Consensus;

namespace MiniKube.Store.Tests.Consensus;

/// <summary>A state machine that records what it applied, in order, and answers with the index.</summary>
public sealed class RecordingStateMachine(ulong appliedIndex = 0) : IRaftStateMachine
{
    private readonly Lock _lock = new();
    private readonly List<string> _applied = [];
    private ulong _appliedIndex = appliedIndex;

    public ulong AppliedIndex
    {
        get
        {
            lock (_lock)
            {
                return _appliedIndex;
            }
        }
    }

    public IReadOnlyList<string> Applied
    {
        get
        {
            lock (_lock)
            {
                return [.. _applied];
            }
        }
    }

    public object? Apply(ulong index, ReadOnlyMemory<byte> payload)
    {
        lock (_lock)
        {
            if (index != _appliedIndex + 1 && _appliedIndex != 0)
            {
                throw new InvalidOperationException($"applied {index} after {_appliedIndex}");
            }

            _appliedIndex = index;
            if (payload.Length > 0)
            {
                _applied.Add(Encoding.UTF8.GetString(payload.Span));
            }

            return index;
        }
    }
}
