using System.Threading.Channels;

namespace MiniKube.ApiServer.Storage;

/// <summary>An open watch: read events until the channel completes (after an ERROR event or on disposal).</summary>
public interface IObjectWatch : IAsyncDisposable
{
    ChannelReader<StorageEvent> Events { get; }
}
