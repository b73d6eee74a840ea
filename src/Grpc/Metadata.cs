using System.Collections;

namespace MiniKube.Grpc;

/// <summary>
/// Request headers, response headers or trailers of a call: an ordered list of lowercase keys with
/// string values; a key may repeat. Binary ("-bin") values are carried as their base64 text.
/// </summary>
public sealed class Metadata : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    public int Count => _entries.Count;

    /// <summary>Appends an entry; the key is lowercased because HTTP/2 requires lowercase field names.</summary>
    public void Add(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key[0] == ':')
        {
            throw new ArgumentException($"Pseudo-header '{key}' cannot be metadata.", nameof(key));
        }

        _entries.Add(new(key.ToLowerInvariant(), value));
    }

    /// <summary>The last value added for <paramref name="key"/>, or null.</summary>
    public string? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i].Value;
            }
        }

        return null;
    }

    /// <summary>Every value for <paramref name="key"/>, in the order added.</summary>
    public IEnumerable<string> GetAll(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                yield return entry.Value;
            }
        }
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
