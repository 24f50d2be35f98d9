using System.Globalization;
using CdnProxy.Core.Pipeline;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Transformations;

/// <summary>
/// Typed, range-checked reads of one call's arguments. It records every key read with its normalised value,
/// so the canonical form (sorted keys, defaults filled) comes for free, and it detects unknown keys.
/// </summary>
public sealed class ArgumentReader
{
    private const int MaxEchoedValueLength = 32;

    private readonly Dictionary<string, string> _given;
    private readonly SortedDictionary<string, string> _canonical = new(StringComparer.Ordinal);

    public ArgumentReader(TransformationCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Operation = call.QualifiedName;

        // Duplicate keys: the last one wins, as in Pixelbin's SDK parsers.
        _given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in call.Arguments)
        {
            _given[argument.Key] = argument.Value;
        }
    }

    /// <summary>The operation being bound, e.g. <c>t.resize</c>.</summary>
    public string Operation { get; }

    public int Whole(string key, int defaultValue, int min, int max)
    {
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text)
            && (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) || value < min || value > max))
        {
            throw Invalid(key, text, string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}"));
        }

        return Record(key, value, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A whole angle in degrees, normalised to 0–359 (−270 and 450 both read as 90) so that equivalent angles share
    /// one canonical form.
    /// </summary>
    public int Degrees(string key, int defaultValue, int min, int max)
    {
        var angle = Whole(key, defaultValue, min, max);
        var normalised = ((angle % 360) + 360) % 360;
        return Record(key, normalised, normalised.ToString(CultureInfo.InvariantCulture));
    }

    public double Real(string key, double defaultValue, double min, double max)
    {
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text)
            && (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
                || !double.IsFinite(value) || value < min || value > max))
        {
            throw Invalid(key, text, string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}"));
        }

        return Record(key, value, FormatNumber(value));
    }

    public bool Flag(string key, bool defaultValue)
    {
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text))
        {
            value = text switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw Invalid(key, text, "true or false"),
            };
        }

        return Record(key, value, value ? "true" : "false");
    }

    public T Choice<T>(string key, T defaultValue, EnumArgument<T> tokens)
        where T : struct, System.Enum
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text) && !tokens.TryParse(text, out value))
        {
            throw Invalid(key, text, "one of " + tokens.Description);
        }

        return Record(key, value, tokens.Format(value));
    }

    public Rgba Color(string key, Rgba defaultValue)
    {
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text))
        {
            value = Rgba.TryParse(text) ?? throw Invalid(key, text, "a colour RRGGBB or RRGGBBAA");
        }

        return Record(key, value, value.ToString());
    }

    /// <summary>A quality 1–100, also accepting named levels (the canonical form is the number).</summary>
    public int Quality(string key, int defaultValue, IReadOnlyDictionary<string, int> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text)
            && !words.TryGetValue(text, out value)
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value is < 1 or > 100))
        {
            throw Invalid(key, text, "a quality from 1 to 100 or one of " + string.Join(", ", words.Keys));
        }

        return Record(key, value, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Throws for any argument no read asked for.</summary>
    public void EnsureAllConsumed()
    {
        foreach (var key in _given.Keys)
        {
            if (!_canonical.ContainsKey(key))
            {
                throw CdnException.InvalidArgument($"{Operation}: unknown argument '{key}'");
            }
        }
    }

    /// <summary>The canonical text of the call: keys sorted, defaults filled, numbers normalised.</summary>
    public string ToCanonicalString() =>
        Operation + "(" + string.Join(",", _canonical.Select(p => p.Key + ":" + p.Value)) + ")";

    /// <summary>A failure that names this operation and argument.</summary>
    public CdnException Invalid(string key, string given, string expectation)
    {
        ArgumentNullException.ThrowIfNull(given);
        var echoed = given.Length <= MaxEchoedValueLength ? given : given[..MaxEchoedValueLength] + "…";
        return CdnException.InvalidArgument($"{Operation}: '{key}' must be {expectation} (got '{echoed}')");
    }

    internal static string FormatNumber(double value) =>
        value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture);

    private T Record<T>(string key, T value, string canonical)
    {
        _canonical[key] = canonical;
        return value;
    }
}
