using System.Globalization;
using System.Runtime.CompilerServices;
using MiniKube.Api.Core;
using MiniKube.Scheduler.Framework;

namespace MiniKube.Scheduler.Plugins;

/// <summary>
/// The filter: the node's labels match the pod's nodeSelector and one of the terms of its required node affinity.
/// The score: the sum of the weights of the preferred terms the node matches.
/// </summary>
public sealed class NodeAffinity : IFilterPlugin, IScorePlugin
{
    public const string ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";

    private static readonly string[] Reasons = [ErrReasonPod];

    string IFilterPlugin.Name => nameof(NodeAffinity);

    string IScorePlugin.Name => nameof(NodeAffinity);

    public int Weight => 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<string>? Filter(PodInfo pod, NodeInfo node)
    {
        if (pod.Pod.Spec?.NodeSelector is { Count: > 0 } selector)
        {
            foreach (var (key, value) in selector)
            {
                if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
                {
                    return Reasons;
                }
            }
        }

        if (pod.Pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { } required && !AnyTermMatches(required, node))
        {
            return Reasons;
        }

        return null;
    }

    /// <summary>A loop, not Any(lambda): a lambda capturing the node would allocate a closure on every call, matched or not.</summary>
    private static bool AnyTermMatches(NodeSelector required, NodeInfo node)
    {
        foreach (var term in required.NodeSelectorTerms ?? [])
        {
            if (TermMatches(term, node))
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Score(PodInfo pod, NodeInfo node)
    {
        // Most pods prefer nothing; return before anything is allocated, as this runs for every feasible node.
        if (pod.Pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is not { Count: > 0 } terms)
        {
            return 0;
        }

        long sum = 0;
        foreach (var preferred in terms)
        {
            if (preferred.Preference is { } term && preferred.Weight is > 0 && TermMatches(term, node))
            {
                sum += preferred.Weight.Value;
            }
        }

        return sum;
    }

    public void Normalize(PodInfo pod, Span<long> scores) => ScoreNormalizer.Default(scores, reverse: false);

    /// <summary>A term's requirements are ANDed; a term with none matches nothing, as in Kubernetes.</summary>
    public static bool TermMatches(NodeSelectorTerm term, NodeInfo node)
    {
        var expressions = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (expressions.Count == 0 && fields.Count == 0)
        {
            return false;
        }

        foreach (var requirement in expressions)
        {
            node.Labels.TryGetValue(requirement.Key ?? "", out var value);
            if (!RequirementMatches(requirement, value))
            {
                return false;
            }
        }

        foreach (var requirement in fields)
        {
            // metadata.name is the only field a node selector may name.
            if (requirement.Key != "metadata.name" || !RequirementMatches(requirement, node.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static bool RequirementMatches(NodeSelectorRequirement requirement, string? value)
    {
        var values = requirement.Values ?? [];
        return requirement.Operator switch
        {
            "In" => value is not null && values.Contains(value),
            "NotIn" => value is null || !values.Contains(value),
            "Exists" => value is not null,
            "DoesNotExist" => value is null,
            "Gt" => value is not null && values.Count == 1 && long.TryParse(value, CultureInfo.InvariantCulture, out var v) && long.TryParse(values[0], CultureInfo.InvariantCulture, out var bound) && v > bound,
            "Lt" => value is not null && values.Count == 1 && long.TryParse(value, CultureInfo.InvariantCulture, out var v2) && long.TryParse(values[0], CultureInfo.InvariantCulture, out var bound2) && v2 < bound2,
            _ => false,
        };
    }
}
