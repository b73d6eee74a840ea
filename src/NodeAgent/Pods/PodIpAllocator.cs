using System.Net;
using System.Net.Sockets;

namespace MiniKube.NodeAgent.Pods;

/// <summary>
/// A node's pod addresses: a /24 of its own, .1 being the bridge's (as host-local IPAM with a cni0 gateway), so pods
/// get .2 to .254, lowest free first. Thread-safe.
/// </summary>
public sealed class PodIpAllocator
{
    private readonly uint _base;
    private readonly bool[] _used = new bool[256];
    private readonly Lock _gate = new();

    public PodIpAllocator(IPAddress subnet)
    {
        _base = ToUInt(subnet) & 0xFFFFFF00;
        Subnet = $"{FromUInt(_base)}/24";
    }

    /// <summary>The node's pod CIDR, e.g. 10.244.3.0/24.</summary>
    public string Subnet { get; }

    /// <summary>
    /// The /24 of node <paramref name="index"/> (0-based) inside <paramref name="podCidr"/>; throws when the CIDR has no
    /// room for it (a /16 holds 256 nodes).
    /// </summary>
    public static PodIpAllocator ForNode(string podCidr, int index)
    {
        var (network, prefix) = ParseCidr(podCidr);
        if (prefix > 24)
        {
            throw new ArgumentException($"--pod-cidr {podCidr}: the prefix must be /24 or shorter to hold a /24 per node");
        }

        var room = 1L << (24 - prefix);
        if (index >= room)
        {
            throw new ArgumentException($"--pod-cidr {podCidr} has room for {room} nodes' /24s, not {index + 1} (use a shorter prefix, e.g. 10.0.0.0/8)");
        }

        return new PodIpAllocator(FromUInt(ToUInt(network) + ((uint)index << 8)));
    }

    public static (IPAddress Network, int Prefix) ParseCidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var ip) || ip.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr.AsSpan(slash + 1), out var prefix) || prefix is < 0 or > 32)
        {
            throw new ArgumentException($"--pod-cidr: \"{cidr}\" is not an IPv4 CIDR such as 10.244.0.0/16");
        }

        var mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
        return (FromUInt(ToUInt(ip) & mask), prefix);
    }

    /// <summary>The lowest free address, or null when all 253 are taken.</summary>
    public string? Allocate()
    {
        lock (_gate)
        {
            for (var host = 2; host <= 254; host++)
            {
                if (!_used[host])
                {
                    _used[host] = true;
                    return FromUInt(_base + (uint)host).ToString();
                }
            }

            return null;
        }
    }

    /// <summary>Takes an address a pod already has (after a restart of the agent); false when it is not ours or is taken.</summary>
    public bool TryReserve(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var value = ToUInt(address);
        var host = (int)(value & 0xFF);
        if ((value & 0xFFFFFF00) != _base || host is < 2 or > 254)
        {
            return false;
        }

        lock (_gate)
        {
            if (_used[host])
            {
                return false;
            }

            _used[host] = true;
            return true;
        }
    }

    public void Release(string ip)
    {
        if (IPAddress.TryParse(ip, out var address) && (ToUInt(address) & 0xFFFFFF00) == _base)
        {
            lock (_gate)
            {
                _used[ToUInt(address) & 0xFF] = false;
            }
        }
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static IPAddress FromUInt(uint v) => new([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
}
