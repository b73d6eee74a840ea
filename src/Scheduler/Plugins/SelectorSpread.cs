using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>
/// Spreads pods of one owner across nodes (Kubernetes' SelectorSpread, by hostname only): a node scores
/// 100 × (max − count) / max, where count is how many of the pod's siblings it holds. Siblings share the controller
/// ownerReference, or (for pods without one) the same labels. Weight 1, its last default in Kubernetes before
/// PodTopologySpread's system defaults took its place.
/// </summary>
public sealed class SelectorSpread : IScorePlugin
{
    public string Name => nameof(SelectorSpread);

    public int Weight => 1;

    public long Score(PodInfo pod, NodeInfo node) => pod.SpreadKey is { } key ? node.CountSpread(key) : 0;

    public void Normalize(PodInfo pod, Span<long> scores) => ScoreNormalizer.Default(scores, reverse: true);
}
