namespace MiniKube.NodeAgent.Runtime;

/// <summary>One started container until it exits.</summary>
public interface IRunningContainer
{
    /// <summary>Completes with the exit code (128 + signal when a signal ended it) once the container has exited.</summary>
    Task<int> Exited { get; }

    /// <summary>Asks the container to stop (SIGTERM) and kills it (SIGKILL) when it is still running after <paramref name="gracePeriod"/>.</summary>
    void Stop(TimeSpan gracePeriod);
}
