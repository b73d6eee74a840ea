using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>helper.DefaultNormalizeScore: scales scores so the highest is MaxNodeScore; reversed, the highest becomes 0.</summary>
public static class ScoreNormalizer
{
    public static void Default(Span<long> scores, bool reverse)
    {
        long max = 0;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }

        if (max == 0)
        {
            if (reverse)
            {
                scores.Fill(IScorePlugin.MaxNodeScore);
            }

            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            var score = IScorePlugin.MaxNodeScore * scores[i] / max;
            scores[i] = reverse ? IScorePlugin.MaxNodeScore - score : score;
        }
    }
}
