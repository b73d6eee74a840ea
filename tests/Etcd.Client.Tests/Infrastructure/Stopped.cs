using MiniKube.Testing;

namespace MiniKube.Etcd.Client.Tests.Infrastructure;

/// <summary>SIGSTOP arrives asynchronously: a thread on a CPU may still answer a request after Pause() returns.</summary>
public static class Stopped
{
    /// <summary>Pauses the server and returns once every one of its threads is stopped (state T in /proc).</summary>
    public static async Task PauseAsync(ServerProcess process)
    {
        process.Pause();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!AllThreadsStopped(process.ProcessId))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"process {process.ProcessId} did not stop");
            }

            await Task.Delay(5);
        }
    }

    private static bool AllThreadsStopped(int pid)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                // "pid (comm) S …": the state follows the last ')', as comm may contain spaces.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                if (stat[(stat.LastIndexOf(')') + 2)..][0] is not ('T' or 't' or 'Z' or 'X'))
                {
                    return false;
                }
            }
            catch (IOException)
            {
                // the thread exited
            }
        }

        return true;
    }
}
