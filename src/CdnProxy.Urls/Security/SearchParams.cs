using System.Text;

namespace CdnProxy.Urls.Security;

/// <summary>
/// The part of the WHATWG <c>URLSearchParams</c> the JS SDK relies on: parse a query, <c>set</c> a name, and
/// serialise as application/x-www-form-urlencoded (space → <c>+</c>; only <c>A–Z a–z 0–9 * - . _</c> kept).
/// </summary>
internal sealed class SearchParams
{
    private readonly List<KeyValuePair<string, string>> _pairs = [];

    /// <summary>Parses a query without its leading <c>?</c>; empty sequences between <c>&amp;</c> are skipped.</summary>
    public static SearchParams Parse(string query)
    {
        var result = new SearchParams();
        foreach (var sequence in query.Split('&'))
        {
            if (sequence.Length == 0)
            {
                continue;
            }

            var equals = sequence.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? sequence : sequence[..equals];
            var value = equals < 0 ? string.Empty : sequence[(equals + 1)..];
            result._pairs.Add(new(PercentEncoding.FormDecode(name), PercentEncoding.FormDecode(value)));
        }

        return result;
    }

    /// <summary>True when a pair named <paramref name="name"/> exists.</summary>
    public bool Has(string name) => _pairs.Exists(pair => pair.Key == name);

    /// <summary>
    /// Replaces the value of the first pair named <paramref name="name"/> and removes the others, or appends a new
    /// pair when there is none (WHATWG <c>set</c>).
    /// </summary>
    public void Set(string name, string value)
    {
        var first = _pairs.FindIndex(pair => pair.Key == name);
        if (first < 0)
        {
            _pairs.Add(new(name, value));
            return;
        }

        _pairs[first] = new(name, value);
        for (var i = _pairs.Count - 1; i > first; i--)
        {
            if (_pairs[i].Key == name)
            {
                _pairs.RemoveAt(i);
            }
        }
    }

    /// <summary>Removes every pair named <paramref name="name"/> (WHATWG <c>delete</c>).</summary>
    public void Delete(string name) => _pairs.RemoveAll(pair => pair.Key == name);

    /// <summary>The application/x-www-form-urlencoded serialisation, without a leading <c>?</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in _pairs)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            AppendFormEncoded(builder, name);
            builder.Append('=');
            AppendFormEncoded(builder, value);
        }

        return builder.ToString();
    }

    /// <summary>Form-encodes <paramref name="value"/>: space becomes <c>+</c>, unsafe bytes <c>%XX</c>.</summary>
    public static void AppendFormEncoded(StringBuilder builder, string value)
    {
        foreach (var b in PercentEncoding.Utf8.GetBytes(value))
        {
            if (b == ' ')
            {
                builder.Append('+');
            }
            else if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
            {
                builder.Append((char)b);
            }
            else
            {
                PercentEncoding.AppendEscaped(builder, b);
            }
        }
    }
}
