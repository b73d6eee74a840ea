using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MiniKube.Cli.Bench;

/// <summary>What a benchmark ran on, read from /proc (Linux) on a best-effort basis: for the report header.</summary>
public sealed record MachineInfo(int Cpus, string CpuModel, double MemoryGiB, string TempFileSystem, string Runtime, string Os, string EtcdVersion)
{
    public static async Task<MachineInfo> DetectAsync(string etcdBinary)
    {
        return new MachineInfo(
            Environment.ProcessorCount,
            ProcLine("/proc/cpuinfo", "model name") ?? "unknown",
            ParseKiB(ProcLine("/proc/meminfo", "MemTotal")) / (1024.0 * 1024.0),
            TempFileSystemOf(Path.GetTempPath()),
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            await EtcdVersionAsync(etcdBinary).ConfigureAwait(false));
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"machine: {Cpus} CPUs ({CpuModel}), {MemoryGiB:F1} GiB RAM, temp dir on {TempFileSystem}; {Os}; {Runtime}; {EtcdVersion}");

    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteNumber("cpus", Cpus);
        json.WriteString("cpuModel", CpuModel);
        json.WriteNumber("memoryGiB", Math.Round(MemoryGiB, 1));
        json.WriteString("tempFileSystem", TempFileSystem);
        json.WriteString("os", Os);
        json.WriteString("runtime", Runtime);
        json.WriteString("etcd", EtcdVersion);
    }

    /// <summary>The 1, 5 and 15 minute load averages, e.g. "0.12 0.40 0.61": other work on the machine skews the numbers.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? ProcLine(string file, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith(field, StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static double ParseKiB(string? value) =>
        value is not null && double.TryParse(value.Split(' ')[0], CultureInfo.InvariantCulture, out var kib) ? kib : 0;

    /// <summary>"ext4 (/dev/vda)": the mount in /proc/mounts with the longest mount point containing <paramref name="path"/>.</summary>
    private static string TempFileSystemOf(string path)
    {
        try
        {
            var best = (Point: "", Description: "unknown");
            foreach (var line in File.ReadLines("/proc/mounts"))
            {
                var fields = line.Split(' ');
                if (fields.Length >= 3 && IsUnder(path, fields[1]) && fields[1].Length > best.Point.Length)
                {
                    best = (fields[1], $"{fields[2]} ({fields[0]} at {fields[1]})");
                }
            }

            return best.Description;
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static bool IsUnder(string path, string mountPoint) =>
        mountPoint == "/" || path.StartsWith(mountPoint.TrimEnd('/') + "/", StringComparison.Ordinal) || path.TrimEnd('/') == mountPoint;

    private static async Task<string> EtcdVersionAsync(string binary)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is null)
            {
                return "etcd: unknown version";
            }

            var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await process.WaitForExitAsync().ConfigureAwait(false);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var version = lines.FirstOrDefault(l => l.StartsWith("etcd Version:", StringComparison.Ordinal))?["etcd Version:".Length..].Trim();
            var go = lines.FirstOrDefault(l => l.StartsWith("Go Version:", StringComparison.Ordinal))?["Go Version:".Length..].Trim();
            return $"etcd {version ?? "unknown"} ({go ?? "unknown Go"})";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "etcd: not found";
        }
    }
}
