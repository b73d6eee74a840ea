namespace MiniKube.Cli.Cluster;

/// <summary>One row of <c>mkctl status</c>.</summary>
public sealed record ComponentStatus(string Name, int? Pid, bool Running, string Health, string Address);
