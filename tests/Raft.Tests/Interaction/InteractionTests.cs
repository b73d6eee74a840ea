namespace MiniKube.Raft.Tests.Interaction;

/// <summary>
/// Replays every transcript in testdata/raft. RAFT_REWRITE=1 rewrites the expected outputs in
/// place (review the diff before committing it).
/// </summary>
public sealed class InteractionTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestDataDirectory(), "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Transcript_output_matches_when_replayed(string file)
    {
        var path = Path.Combine(TestDataDirectory(), file);
        var text = File.ReadAllText(path);
        var transcript = TranscriptFile.Parse(text);
        var env = new InteractionEnv();
        var outputs = new List<string>();
        foreach (var block in transcript.Blocks)
        {
            try
            {
                outputs.Add(env.Handle(block.Command));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"{file}:{block.Line}: {block.Command}: {e.Message}", e);
            }
        }
        var actual = transcript.Render(outputs);
        if (Environment.GetEnvironmentVariable("RAFT_REWRITE") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        for (var b = 0; b < transcript.Blocks.Count; b++)
        {
            var block = transcript.Blocks[b];
            Assert.True(block.Expected == outputs[b],
                $"{file}:{block.Line}: {block.Command}\n--- expected\n{block.Expected}\n--- actual\n{outputs[b]}");
        }
    }

    /// <summary>testdata/raft at the repository root, found by walking up from the test binaries.</summary>
    private static string TestDataDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "testdata", "raft");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"testdata/raft not found above {AppContext.BaseDirectory}");
    }
}
