namespace MiniKube.ApiServer.Registry;

/// <summary>Query options of a write: dryRun=All, and fieldValidation=Strict (unknown fields are errors).</summary>
public sealed record WriteOptions(bool DryRun = false, bool StrictFields = false)
{
    public static readonly WriteOptions Default = new();
}
