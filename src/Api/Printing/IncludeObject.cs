namespace MiniKube.Api.Printing;

/// <summary>What each table row carries besides its cells (?includeObject= of the Table request).</summary>
public enum IncludeObject
{
    None,

    /// <summary>The default: a PartialObjectMetadata with the object's metadata.</summary>
    Metadata,

    FullObject,
}
