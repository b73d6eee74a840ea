using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using MiniKube.Etcd.Client;
using Mvccpb;
using EtcdWatchOptions = MiniKube.Etcd.Client.WatchOptions;

namespace MiniKube.ApiServer.Storage;

public sealed partial class Etcd3Storage
{
    public async Task<IObjectWatch> WatchAsync(string key, WatchOptions options, CancellationToken cancellationToken = default)
    {
        var events = Channel.CreateBounded<StorageEvent>(new BoundedChannelOptions(1024) { SingleReader = true, SingleWriter = true });
        var initial = new List<StorageEvent>();
        var startRevision = options.ResourceVersion;
        if (startRevision == 0)
        {
            // "Now": the current state as ADDED events, then the changes after it, with no gap.
            if (options.Recursive)
            {
                var list = await GetListAsync(key, new ListOptions { Predicate = options.Predicate }, cancellationToken).ConfigureAwait(false);
                initial.AddRange(list.Items.Select(o => new StorageEvent(WatchEventType.Added, o, list.ResourceVersion)));
                startRevision = list.ResourceVersion;
            }
            else
            {
                var response = await CallAsync(key, () => client.GetAsync(FullKey(key), cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (response.Kvs.Count > 0)
                {
                    var obj = Decode(key, response.Kvs[0]);
                    if (options.Predicate is null || options.Predicate(obj))
                    {
                        initial.Add(new StorageEvent(WatchEventType.Added, obj, response.Header.Revision));
                    }
                }

                startRevision = response.Header.Revision;
            }
        }

        var watchKey = options.Recursive ? FullKey(DirectoryOf(key)) : FullKey(key);
        var watcher = client.Watch(watchKey, new EtcdWatchOptions
        {
            Prefix = options.Recursive,
            Revision = startRevision + 1,
            PrevKv = true,
            ProgressNotify = options.AllowBookmarks,
        });
        return new EtcdObjectWatch(watcher, events, initial, options, startRevision);
    }

    /// <summary>A storage event for one etcd event, or null when the predicate hides it.</summary>
    internal static StorageEvent? Transform(Event e, Func<JsonObject, bool>? predicate)
    {
        var key = e.Kv.Key.ToStringUtf8();
        var revision = e.Kv.ModRevision;
        var prevKv = e.PrevKv is { Key.IsEmpty: false } kv ? kv : null;
        if (e.Type == Event.Types.EventType.Delete)
        {
            return prevKv is null ? null : PredicateTransitions.Apply(WatchEventType.Deleted, Decode(key, prevKv.Value, revision), null, revision, predicate);
        }

        var current = Decode(key, e.Kv);
        var isCreated = e.Kv.CreateRevision == e.Kv.ModRevision || prevKv is null;
        if (predicate is null)
        {
            // The previous state only matters to a filter: unfiltered (the watch cache) it was decoded for nothing.
            return new StorageEvent(isCreated ? WatchEventType.Added : WatchEventType.Modified, current, revision);
        }

        var previous = isCreated ? null : Decode(key, prevKv!.Value, revision);
        return PredicateTransitions.Apply(isCreated ? WatchEventType.Added : WatchEventType.Modified, current, previous, revision, predicate);
    }

    /// <summary>A BOOKMARK's object: only the revision matters to the client.</summary>
    internal static StorageEvent Bookmark(long revision)
    {
        var obj = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) } };
        return new StorageEvent(WatchEventType.Bookmark, obj, revision);
    }

    /// <summary>The ERROR event that ends a watch whose starting revision was compacted away.</summary>
    internal static StorageEvent Expired(long requested, long compacted)
        => new(WatchEventType.Error, StatusJson.Failure(410, "Expired",
            $"too old resource version: {requested} ({compacted})"), 0);

    private sealed class EtcdObjectWatch : IObjectWatch
    {
        private readonly Watcher _watcher;
        private readonly Channel<StorageEvent> _events;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _pump;

        public EtcdObjectWatch(Watcher watcher, Channel<StorageEvent> events, List<StorageEvent> initial, WatchOptions options, long startRevision)
        {
            _watcher = watcher;
            _events = events;
            _pump = PumpAsync(initial, options, startRevision);
        }

        public ChannelReader<StorageEvent> Events => _events.Reader;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _watcher.DisposeAsync().ConfigureAwait(false);
            try
            {
                await _pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private async Task PumpAsync(List<StorageEvent> initial, WatchOptions options, long startRevision)
        {
            var token = _stop.Token;
            Exception? failure = null;
            try
            {
                foreach (var e in initial)
                {
                    await _events.Writer.WriteAsync(e, token).ConfigureAwait(false);
                }

                await foreach (var update in _watcher.WithCancellation(token).ConfigureAwait(false))
                {
                    if (update.IsProgressNotify)
                    {
                        if (options.AllowBookmarks)
                        {
                            await _events.Writer.WriteAsync(Bookmark(update.Revision), token).ConfigureAwait(false);
                        }

                        continue;
                    }

                    foreach (var e in update.Events)
                    {
                        if (Transform(e, options.Predicate) is { } converted)
                        {
                            await _events.Writer.WriteAsync(converted, token).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (EtcdCompactedException e)
            {
                _events.Writer.TryWrite(Expired(startRevision, e.CompactRevision));
            }
            catch (Exception e) when (e is EtcdException or StorageException)
            {
                _events.Writer.TryWrite(new StorageEvent(WatchEventType.Error, StatusJson.Failure(500, "InternalError",
                    $"Internal error occurred: the watch on the store failed: {e.Message}"), 0));
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                _events.Writer.TryComplete(failure);
            }
        }
    }
}
