namespace MiniKube.Controllers;

/// <summary>
/// One control loop of the controller-manager: it watches through the shared informers it was
/// built with and reconciles keys from its work queue with as many workers as it is given
/// until cancelled. The controller-manager starts the shared informers after constructing every
/// controller, so each registers its event handlers in its constructor.
/// </summary>
public interface IController
{
    /// <summary>The name kube-controller-manager uses for it ("deployment", "replicaset", …).</summary>
    string Name { get; }

    Task RunAsync(int workers, CancellationToken cancellationToken);
}
