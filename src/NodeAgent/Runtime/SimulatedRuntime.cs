namespace MiniKube.NodeAgent.Runtime;

/// <summary>
/// Containers that cost nothing: each "starts" at once (the pod worker applies --startup-delay before asking),
/// writes a line or two of made-up log, and runs until it is stopped, so one process can hold hundreds of nodes.
/// </summary>
public sealed class SimulatedRuntime : IContainerRuntime
{
    public string Name => "simulated";

    public IRunningContainer Start(ContainerStartRequest request)
    {
        var c = request.Container;
        request.Log.Write("stdout", $"simulated container {c.Name} (image {c.Image}) of pod {request.PodNamespace}/{request.PodName} started");
        request.Log.Write("stdout", "ready to serve");
        return new SimulatedContainer();
    }

    /// <summary>Runs until stopped; a stop is honoured at once with exit code 0, as a well-behaved server does on SIGTERM.</summary>
    private sealed class SimulatedContainer : IRunningContainer
    {
        private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<int> Exited => _exited.Task;

        public void Stop(TimeSpan gracePeriod) => _exited.TrySetResult(0);
    }
}
