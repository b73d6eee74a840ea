using System.Text;

namespace MiniKube.Raft.Tests.Interaction;

/// <summary>
/// A transcript in the manner of cockroachdb's datadriven files that etcd raft's interaction
/// tests use: comment lines (#), a command line, a "----" line, then the expected output up to
/// the next blank line. The output never contains blank lines (handlers print "ok" for nothing).
/// </summary>
internal sealed record TranscriptFile(IReadOnlyList<TranscriptFile.Block> Blocks)
{
    public sealed record Block(IReadOnlyList<string> Comments, string Command, string Expected, int Line);

    public static TranscriptFile Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<Block>();
        var comments = new List<string>();
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                i++;
                continue;
            }
            if (line.StartsWith('#'))
            {
                comments.Add(line);
                i++;
                continue;
            }
            var commandLine = i + 1;
            if (i + 1 >= lines.Length || lines[i + 1] != "----")
            {
                throw new FormatException($"line {commandLine}: expected ---- after the command '{line}'");
            }
            i += 2;
            var output = new List<string>();
            while (i < lines.Length && lines[i].Length != 0)
            {
                output.Add(lines[i]);
                i++;
            }
            blocks.Add(new Block(comments.ToList(), line, string.Join('\n', output), commandLine));
            comments.Clear();
        }
        return new TranscriptFile(blocks);
    }

    /// <summary>The file's text with the given outputs in place of the expected ones.</summary>
    public string Render(IReadOnlyList<string> outputs)
    {
        var sb = new StringBuilder();
        for (var b = 0; b < Blocks.Count; b++)
        {
            if (b > 0)
            {
                sb.Append('\n');
            }
            foreach (var c in Blocks[b].Comments)
            {
                sb.Append(c).Append('\n');
            }
            sb.Append(Blocks[b].Command).Append("\n----\n").Append(outputs[b]).Append('\n');
        }
        return sb.ToString();
    }
}
