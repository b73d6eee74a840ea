using Microsoft.Extensions.Time.Testing;
using MiniKube.Api.Core;
using MiniKube.Api.Meta;
using MiniKube.NodeAgent.Pods;

namespace MiniKube.NodeAgent.Tests.Pods;

/// <summary>A pod worker on node-1 with a fake clock and runtime, counting the changes it reports.</summary>
public sealed class PodWorkerHarness : IDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly string _logs = Path.Combine(Path.GetTempPath(), $"mk-pw-{Guid.NewGuid():N}");

    public PodWorkerHarness(TimeSpan? startupDelay = null)
    {
        Context = new PodWorkerContext("node-1", "127.0.0.1", Ips, Runtime, Time, startupDelay ?? TimeSpan.FromSeconds(1), _logs, _ => Changes++);
    }

    public FakeTimeProvider Time { get; } = new(Epoch);

    public FakeRuntime Runtime { get; } = new();

    public PodIpAllocator Ips { get; } = PodIpAllocator.ForNode("10.244.0.0/16", 0);

    public PodWorkerContext Context { get; }

    public int Changes { get; private set; }

    public static Pod NewPod(string name = "web", string restartPolicy = "Always", params Container[] containers) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name, Namespace = "default", Uid = $"uid-{name}", ResourceVersion = "10" },
        Spec = new PodSpec
        {
            NodeName = "node-1",
            RestartPolicy = restartPolicy,
            Containers = containers.Length == 0 ? [new Container { Name = "app", Image = "nginx:1.27" }] : [.. containers],
        },
        Status = new PodStatus
        {
            Phase = "Pending",
            Conditions = [new PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = Epoch }],
        },
    };

    public PodWorker Start(Pod pod)
    {
        var worker = new PodWorker(pod, Context);
        worker.Start();
        return worker;
    }

    public void Dispose()
    {
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }
}
