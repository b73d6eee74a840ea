using System.CommandLine;
using MiniKube.Client;
using MiniKube.Etcd.Api;

namespace MiniKube.Scheduler;

/// <summary><c>mkctl scheduler</c>: kube-scheduler's flags that matter here.</summary>
public static class SchedulerCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)." };
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Start a leader election client and gain leadership before scheduling (lease kube-system/kube-scheduler).",
            DefaultValueFactory = _ => true,
        };
        var leaseDuration = new Option<TimeSpan>("--leader-elect-lease-duration")
        {
            Description = "How long non-leaders wait after the last observed renewal before taking over (e.g. 15s).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(15),
            CustomParser = DurationArgument,
        };
        var renewDeadline = new Option<TimeSpan>("--leader-elect-renew-deadline")
        {
            Description = "How long the leader retries renewing before it stops leading (e.g. 10s).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = DurationArgument,
        };
        var retryPeriod = new Option<TimeSpan>("--leader-elect-retry-period")
        {
            Description = "Between tries to acquire or renew leadership (e.g. 2s).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(2),
            CustomParser = DurationArgument,
        };
        var parallelism = new Option<int>("--parallelism")
        {
            Description = "How many bindings and status writes run at once (scheduling decisions are made one at a time).",
            DefaultValueFactory = _ => 256,
        };

        var command = new Command("scheduler", "Run the scheduler in the foreground.");
        foreach (var option in new Option[] { kubeconfig, leaderElect, leaseDuration, renewDeadline, retryPeriod, parallelism })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = KubeClient.FromKubeconfig(parse.GetValue(kubeconfig));
            var options = new SchedulerHostOptions
            {
                LeaderElect = parse.GetValue(leaderElect),
                LeaseDuration = parse.GetValue(leaseDuration),
                RenewDeadline = parse.GetValue(renewDeadline),
                RetryPeriod = parse.GetValue(retryPeriod),
                Scheduler = new SchedulerOptions
                {
                    Parallelism = Math.Max(1, parse.GetValue(parallelism)),
                    Log = message => Console.Error.WriteLine(message),
                },
            };
            using var host = new SchedulerHost(client, options);
            await Console.Error.WriteLineAsync($"scheduler {options.Identity} starting (leader election: {options.LeaderElect})").ConfigureAwait(false);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            if (host.LostLeadership)
            {
                await Console.Error.WriteLineAsync("Error: leaderelection lost").ConfigureAwait(false);
                return 1;
            }

            return 0;
        });
        return command;
    }

    private static TimeSpan DurationArgument(System.CommandLine.Parsing.ArgumentResult result)
    {
        try
        {
            return ParseDuration(result.Tokens[0].Value);
        }
        catch (FormatException e)
        {
            result.AddError(e.Message);
            return default;
        }
    }

    /// <summary>A Go duration as the flags take it: 15s, 500ms, 1m30s, 1h.</summary>
    public static TimeSpan ParseDuration(string text) => GoDuration.Parse(text);
}
