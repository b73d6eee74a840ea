using MiniKube.Store.Backend;

namespace MiniKube.Store.Mvcc;

public sealed partial class MvccStore
{
    /// <summary>
    /// The events of revisions <paramref name="fromRevision"/>..<paramref name="toRevision"/>, in
    /// order, read from <paramref name="view"/> (which must have been opened before checking that
    /// <paramref name="fromRevision"/> is not compacted). Previous key-values are not filled in:
    /// see <see cref="PreviousVersion"/>.
    /// </summary>
    public static List<Mvccpb.Event> ReadHistory(IBackendView view, long fromRevision, long toRevision)
    {
        var events = new List<Mvccpb.Event>();
        using var it = view.Iterate(BackendTable.History, KeyEncoding.HistoryStart(fromRevision), KeyEncoding.HistoryStart(toRevision + 1));
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var revision = KeyEncoding.RevisionOfHistoryKey(it.Key).Main;
            var record = it.Value;
            var userKey = HistoryRecord.UserKey(record);
            if (HistoryRecord.Type(record) == Mvccpb.Event.Types.EventType.Delete)
            {
                events.Add(new Mvccpb.Event
                {
                    Type = Mvccpb.Event.Types.EventType.Delete,
                    Kv = new Mvccpb.KeyValue { Key = Google.Protobuf.ByteString.CopyFrom(userKey), ModRevision = revision },
                });
                continue;
            }

            var versionKey = KeyEncoding.VersionKey(userKey, revision);
            var version = view.Get(BackendTable.Keys, versionKey)
                ?? throw new InvalidDataException($"history names revision {revision} of a key whose version is missing");
            events.Add(new Mvccpb.Event { Type = Mvccpb.Event.Types.EventType.Put, Kv = VersionScanner.ToKeyValue(versionKey, version, keysOnly: false) });
        }

        return events;
    }

    /// <summary>What <paramref name="key"/> held just before <paramref name="revision"/>, if that is still known.</summary>
    public static Mvccpb.KeyValue? PreviousVersion(IBackendReader reader, byte[] key, long revision) =>
        VersionScanner.Get(reader, key, revision - 1);
}
