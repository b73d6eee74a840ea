namespace MiniKube.Api.Selectors;

/// <summary>A label or field selector string that Kubernetes would refuse; the message is the one k8s gives.</summary>
public sealed class SelectorParseException(string message) : FormatException(message);
