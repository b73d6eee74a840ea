using System.Diagnostics;
using MiniKube.Cli.Cluster;

namespace MiniKube.Cli.Tests.Cluster;

public sealed class ComponentLivenessTests
{
    [Fact]
    public void A_component_counts_as_running_from_its_start_through_each_exec()
    {
        // As ComponentProcess.Start launches one: sh execs setsid, which execs the component (here a shell that
        // stays, named as an mkctl scheduler would be), all under one pid; each exec briefly shows an empty command line.
        var failures = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            foreach (var arg in new[] { "-c", "exec setsid \"$0\" \"$@\"", "/bin/sh", "-c", "sleep 5; true", "mkctl", ClusterState.SchedulerKind })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            try
            {
                var clock = Stopwatch.StartNew();
                var checks = 0;
                while (clock.ElapsedMilliseconds < 30)
                {
                    checks++;
                    if (!ComponentProcess.IsRunning(process.Id, ClusterState.SchedulerKind))
                    {
                        failures.Add($"start {i}: not running at check {checks}, {clock.Elapsed.TotalMilliseconds:F1} ms after the start");
                        break;
                    }
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void A_process_that_is_not_a_component_of_that_kind_is_not_running()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sleep", "5") { UseShellExecute = false })!;
        try
        {
            Assert.False(ComponentProcess.IsRunning(process.Id, ClusterState.SchedulerKind));
            Assert.False(ComponentProcess.IsRunning(2, ClusterState.SchedulerKind)); // kthreadd: its command line stays empty
            Assert.False(ComponentProcess.IsRunning(null, ClusterState.SchedulerKind));
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }
}
