using Etcdserverpb;
using Mvccpb;

namespace MiniKube.Etcd.Client;

/// <summary>
/// What a watch delivers: the events of one or more revisions, in order, or — with no events —
/// a progress notification saying the store has reached <see cref="Revision"/>.
/// </summary>
/// <remarks>Named apart from etcdserverpb's WatchResponse, whose watch IDs and flags the client handles itself.</remarks>
public sealed record WatchUpdate(ResponseHeader Header, IReadOnlyList<Event> Events)
{
    /// <summary>The store's revision when the server sent this (at least that of the last event).</summary>
    public long Revision => Header.Revision;

    public bool IsProgressNotify => Events.Count == 0;
}
