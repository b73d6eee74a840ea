using MiniKube.NodeAgent.Runtime;

namespace MiniKube.NodeAgent.Tests.Pods;

/// <summary>A runtime whose containers run until the test makes them exit; exits are delivered synchronously.</summary>
public sealed class FakeRuntime : IContainerRuntime
{
    public string Name => "fake";

    public List<FakeContainer> Started { get; } = [];

    /// <summary>Set to make starts fail, as a missing executable does.</summary>
    public string? StartError { get; set; }

    public IRunningContainer Start(ContainerStartRequest request)
    {
        if (StartError is { } error)
        {
            throw new ContainerStartException(error);
        }

        request.Log.Write("stdout", $"started {request.Container.Name}");
        var container = new FakeContainer(request);
        Started.Add(container);
        return container;
    }
}

public sealed class FakeContainer(ContainerStartRequest request) : IRunningContainer
{
    private readonly TaskCompletionSource<int> _exited = new();

    public ContainerStartRequest Request { get; } = request;

    public TimeSpan? StoppedWithGrace { get; private set; }

    public Task<int> Exited => _exited.Task;

    public void Exit(int code) => _exited.TrySetResult(code);

    public void Stop(TimeSpan gracePeriod) => StoppedWithGrace = gracePeriod;
}
