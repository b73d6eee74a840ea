namespace MiniKube.Grpc;

/// <summary>
/// Told about every call to a registered method, for metrics (the counters grpc-go's Prometheus
/// interceptors keep, which etcd exports). Called on the call's own thread: keep it cheap.
/// </summary>
public interface IGrpcCallObserver
{
    void CallStarted(string service, string method, GrpcMethodType type);

    void CallFinished(string service, string method, GrpcMethodType type, StatusCode code);
}
