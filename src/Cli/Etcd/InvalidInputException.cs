namespace MiniKube.Cli.Etcd;

/// <summary>A command line that parsed but asks for something that cannot be done; exits with etcdctl's ExitInvalidInput.</summary>
public sealed class InvalidInputException(string message) : Exception(message);
