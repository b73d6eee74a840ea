using System.Globalization;
using Google.Protobuf;

namespace MiniKube.Cli.Etcd;

/// <summary>Parsing what users type for keys, ranges and lease IDs, as etcdctl reads them.</summary>
public static class Keys
{
    public static ByteString Utf8(string text) => ByteString.CopyFromUtf8(text);

    /// <summary>A range end argument; with --prefix or --from-key it makes no sense (etcdctl refuses it too).</summary>
    public static ByteString? RangeEnd(string? rangeEnd, bool prefix, bool fromKey)
    {
        if (prefix && fromKey)
        {
            throw new InvalidInputException("`--prefix` and `--from-key` cannot be set at the same time, choose one.");
        }

        if (rangeEnd is null)
        {
            return null;
        }

        return prefix || fromKey
            ? throw new InvalidInputException($"`{(prefix ? "--prefix" : "--from-key")}` and `range_end` cannot be set at the same time, choose one.")
            : Utf8(rangeEnd);
    }

    /// <summary>A lease ID in hex, with or without 0x, as etcdctl prints them.</summary>
    public static long LeaseId(string text)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new InvalidInputException($"bad lease ID \"{text}\", expecting an ID in hex (as `lease grant` prints it)");
    }
}
