namespace MiniKube.Scheduler.Framework;

/// <summary>A score (framework.ScorePlugin): how good is the node for the pod, 0..100 after normalizing. Called on the scheduling thread only.</summary>
public interface IScorePlugin
{
    const long MaxNodeScore = 100;

    string Name { get; }

    /// <summary>The plugin's weight in the default profile.</summary>
    int Weight { get; }

    long Score(PodInfo pod, NodeInfo node);

    /// <summary>Rescales the scores of every feasible node (in place) into 0..MaxNodeScore; nothing by default.</summary>
    void Normalize(PodInfo pod, Span<long> scores)
    {
    }
}
