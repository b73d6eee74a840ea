namespace MiniKube.Raft;

/// <summary>
/// Base of the errors an <see cref="IRaftStorage"/> reports. The core reacts to each subtype
/// differently (see the subtypes), so a storage must throw exactly these and nothing else for
/// the conditions they name; any other exception is treated as fatal by the host.
/// </summary>
public abstract class RaftStorageException(string message) : Exception(message);
