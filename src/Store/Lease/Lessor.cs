using System.Buffers.Binary;
using MiniKube.Store.Backend;
using MiniKube.Store.Mvcc;

namespace MiniKube.Store.Lease;

/// <summary>
/// Leases, as etcd's lessor keeps them: a TTL per lease, the keys attached to it, and an expiry
/// that keep-alives push forward. Grants and revocations are writes and go through the writer
/// (they change the leases table, and a revocation deletes keys at a new revision); renewals and
/// lookups are served from memory on any thread.
/// </summary>
/// <remarks>
/// Expiry times are not persisted: after a restart every lease gets its full TTL again, as etcd
/// does when a member becomes leader, so a lease never expires because the store was down.
/// The lease-to-keys attachments are rebuilt at start from the keys table.
/// </remarks>
public sealed class Lessor
{
    /// <summary>etcd's MaxLeaseTTL: about 285 years.</summary>
    public const long MaxTtl = 9_000_000_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, LeaseState> _leases = [];
    private readonly TimeProvider _time;

    public Lessor(TimeProvider time, long minTtlSeconds)
    {
        _time = time;
        MinTtl = minTtlSeconds;
    }

    /// <summary>Shorter requested TTLs are raised to this (etcd: 1.5 election timeouts, rounded up).</summary>
    public long MinTtl { get; }

    /// <summary>Loads persisted leases and their attached keys. Call once, before serving.</summary>
    public void Recover(MvccStore store)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            using (var it = store.Backend.Iterate(BackendTable.Leases))
            {
                for (it.SeekToFirst(); it.Valid; it.Next())
                {
                    var id = BinaryPrimitives.ReadInt64BigEndian(it.Key);
                    var ttl = Math.Max(BinaryPrimitives.ReadInt64BigEndian(it.Value), MinTtl);
                    _leases[id] = new LeaseState(id, ttl, now.AddSeconds(ttl));
                }
            }

            VersionScanner.Scan(store.Backend, KeyRange.From([0]), long.MaxValue, (versionKey, record) =>
            {
                var lease = VersionRecord.Lease(record);
                if (lease != 0 && _leases.TryGetValue(lease, out var state))
                {
                    state.Keys.Add(KeyEncoding.UserKeyOf(versionKey));
                }

                return true;
            });
        }
    }

    /// <summary>
    /// Forgets every lease and loads them again from <paramref name="store"/>, whose contents were
    /// replaced by a leader's snapshot (etcd's lessor.Recover after a backend swap). Leases that no
    /// longer exist end as revoked for whoever waits on them.
    /// </summary>
    public void Restore(MvccStore store)
    {
        List<LeaseState> dropped;
        lock (_lock)
        {
            dropped = [.. _leases.Values];
            _leases.Clear();
        }

        Recover(store);
        lock (_lock)
        {
            foreach (var lease in dropped.Where(l => !_leases.ContainsKey(l.Id)))
            {
                lease.Revoked.TrySetResult();
            }
        }
    }

    public bool Exists(long id)
    {
        lock (_lock)
        {
            return _leases.ContainsKey(id);
        }
    }

    /// <summary>Grants a lease as part of <paramref name="txn"/>; returns the granted TTL. Writer thread.</summary>
    public long Grant(MvccWriteTxn txn, long id, long ttl)
    {
        if (ttl > MaxTtl)
        {
            throw new LeaseException(LeaseError.TtlTooLarge);
        }

        ttl = Math.Max(ttl, MinTtl);
        lock (_lock)
        {
            if (_leases.ContainsKey(id))
            {
                throw new LeaseException(LeaseError.AlreadyExists);
            }

            _leases[id] = new LeaseState(id, ttl, _time.GetUtcNow().AddSeconds(ttl));
        }

        Span<byte> key = stackalloc byte[8];
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, id);
        BinaryPrimitives.WriteInt64BigEndian(value, ttl);
        txn.Batch.Put(BackendTable.Leases, key, value);
        return ttl;
    }

    /// <summary>Revokes a lease as part of <paramref name="txn"/>, deleting its keys in key order. Writer thread.</summary>
    public void Revoke(MvccWriteTxn txn, long id)
    {
        LeaseState state;
        byte[][] keys;
        lock (_lock)
        {
            if (!_leases.Remove(id, out state!))
            {
                throw new LeaseException(LeaseError.NotFound);
            }

            keys = [.. state.Keys];
        }

        Array.Sort(keys, ByteArrayComparer.Instance);
        foreach (var key in keys)
        {
            txn.DeleteRange(KeyRange.ForKey(key));
        }

        Span<byte> leaseKey = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(leaseKey, id);
        txn.Batch.Delete(BackendTable.Leases, leaseKey);
        state.Revoked.TrySetResult();
    }

    /// <summary>Keeps lease attachments in step with committed changes. Writer thread.</summary>
    public void Apply(IReadOnlyList<Mvccpb.Event> changes)
    {
        lock (_lock)
        {
            foreach (var change in changes)
            {
                var previousLease = change.PrevKv?.Lease ?? 0;
                var newLease = change.Type == Mvccpb.Event.Types.EventType.Put ? change.Kv.Lease : 0;
                if (previousLease == newLease)
                {
                    continue;
                }

                var key = change.Kv.Key.ToByteArray();
                if (previousLease != 0 && _leases.TryGetValue(previousLease, out var previous))
                {
                    previous.Keys.Remove(key);
                }

                if (newLease != 0 && _leases.TryGetValue(newLease, out var current))
                {
                    current.Keys.Add(key);
                }
            }
        }
    }

    /// <summary>
    /// Pushes a lease's expiry a full TTL ahead; returns the TTL. A lease that already expired is
    /// not brought back: the call waits for its revocation and reports it gone, as etcd does.
    /// </summary>
    public async Task<long> RenewAsync(long id, CancellationToken cancellationToken)
    {
        LeaseState? state;
        lock (_lock)
        {
            if (!_leases.TryGetValue(id, out state))
            {
                throw new LeaseException(LeaseError.NotFound);
            }

            var now = _time.GetUtcNow();
            if (state.Expiry > now)
            {
                state.Expiry = now.AddSeconds(state.Ttl);
                return state.Ttl;
            }
        }

        await state.Revoked.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        throw new LeaseException(LeaseError.NotFound);
    }

    /// <summary>Remaining seconds (truncated, as etcd), granted TTL and attached keys; null if there is no such lease.</summary>
    public (long Remaining, long Granted, byte[][] Keys)? TimeToLive(long id, bool withKeys)
    {
        lock (_lock)
        {
            if (!_leases.TryGetValue(id, out var state))
            {
                return null;
            }

            var remaining = (long)(state.Expiry - _time.GetUtcNow()).TotalSeconds;
            byte[][] keys = withKeys ? [.. state.Keys] : [];
            if (withKeys)
            {
                Array.Sort(keys, ByteArrayComparer.Instance);
            }

            return (remaining, state.Ttl, keys);
        }
    }

    /// <summary>Leases granted and not yet revoked.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _leases.Count;
            }
        }
    }

    /// <summary>The leases, soonest to expire first, as etcd's lessor lists them.</summary>
    public long[] List()
    {
        lock (_lock)
        {
            return [.. _leases.Values.OrderBy(l => l.Expiry).ThenBy(l => l.Id).Select(l => l.Id)];
        }
    }

    /// <summary>
    /// Gives every lease a full TTL again plus <paramref name="extend"/>, as etcd's lessor does
    /// when its member becomes leader: the new leader cannot know when the old one last renewed
    /// a lease, and the extension covers the election that made it leader.
    /// </summary>
    public void Promote(TimeSpan extend)
    {
        var now = _time.GetUtcNow() + extend;
        lock (_lock)
        {
            foreach (var lease in _leases.Values)
            {
                lease.Expiry = now.AddSeconds(lease.Ttl);
            }
        }
    }

    /// <summary>Leases whose expiry has passed and that are not yet revoked.</summary>
    public List<long> Expired()
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            return [.. _leases.Values.Where(l => l.Expiry <= now).Select(l => l.Id)];
        }
    }

    private sealed class LeaseState(long id, long ttl, DateTimeOffset expiry)
    {
        public long Id { get; } = id;

        public long Ttl { get; } = ttl;

        public DateTimeOffset Expiry { get; set; } = expiry;

        public HashSet<byte[]> Keys { get; } = new(ByteArrayComparer.Instance);

        public TaskCompletionSource Revoked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
