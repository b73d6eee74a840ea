namespace MiniKube.Raft.Tests;

public sealed class RaftConfigTests
{
    public static TheoryData<string, Func<RaftConfig, RaftConfig>> Invalid => new()
    {
        { "Id", c => new RaftConfig { Id = 0, Storage = c.Storage } },
        { "HeartbeatTick", c => new RaftConfig { Id = 1, Storage = c.Storage, HeartbeatTick = 0 } },
        { "ElectionTick", c => new RaftConfig { Id = 1, Storage = c.Storage, ElectionTick = 1, HeartbeatTick = 1 } },
        { "Storage", c => new RaftConfig { Id = 1, Storage = null! } },
        { "MaxInflightMsgs", c => new RaftConfig { Id = 1, Storage = c.Storage, MaxInflightMsgs = 0 } },
        { "MaxSizePerMsg", c => new RaftConfig { Id = 1, Storage = c.Storage, MaxSizePerMsg = 0 } },
        { "Logger", c => new RaftConfig { Id = 1, Storage = c.Storage, Logger = null! } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_names_the_setting_when_it_is_invalid(string setting, Func<RaftConfig, RaftConfig> make)
    {
        var valid = new RaftConfig { Id = 1, Storage = new MemoryRaftStorage() };
        valid.Validate();
        var e = Assert.Throws<ArgumentException>(() => new RawNode(make(valid)));
        Assert.Equal(setting, e.ParamName);
    }
}
