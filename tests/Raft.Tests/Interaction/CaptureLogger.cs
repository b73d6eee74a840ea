using System.Text;

namespace MiniKube.Raft.Tests.Interaction;

/// <summary>Writes the core's info and warning lines into the transcript output.</summary>
internal sealed class CaptureLogger(StringBuilder sink) : IRaftLogger
{
    public void Debug(string message)
    {
    }

    public void Info(string message) => sink.Append("INFO ").Append(message).Append('\n');

    public void Warning(string message) => sink.Append("WARN ").Append(message).Append('\n');
}
