namespace MiniKube.Testing;

/// <summary>Scratch directories for servers under test, under the system temp folder.</summary>
public static class TestDirectories
{
    public static string Create(string kind)
    {
        var path = Path.Combine(Path.GetTempPath(), "minikube-tests", $"{kind}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
