using System.CommandLine;
using System.Text;
using MiniKube.Cli.Etcd;

namespace MiniKube.Cli.Tests.Etcd;

/// <summary>What a command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}

/// <summary>
/// Runs <c>mkctl etcd …</c> in-process, its output captured per invocation (never the process's
/// Console), so tests stay fast and independent.
/// </summary>
public static class Mkctl
{
    public static Task<CommandResult> EtcdAsync(Uri endpoint, params string[] args) => EtcdAsync(endpoint, args, stdin: null);

    public static async Task<CommandResult> EtcdAsync(Uri endpoint, string[] args, byte[]? stdin, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand { EtcdCommand.Create(() => new MemoryStream(stdin ?? [])) };
        var stdout = output ?? new StringWriter();
        var stderr = new StringWriter();
        var exit = await root.Parse(["etcd", .. args, "--endpoints", endpoint.ToString()])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
        return new CommandResult(exit, stdout.ToString() ?? "", stderr.ToString());
    }

    /// <summary>A writer that tests can read while a long-running command (watch) writes to it.</summary>
    public sealed class SharedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
