using MiniKube.Api.Core;

namespace MiniKube.NodeAgent.Pods;

/// <summary>
/// What the status manager acts on, taken under the worker's lock: the newest pod seen, the status the node reports
/// for it, and whether its containers are all stopped after a deletion request (so it may be deleted for good).
/// </summary>
public sealed record PodWorkerSnapshot(Pod Pod, PodStatus Status, bool ReadyToDelete, bool Removed);
