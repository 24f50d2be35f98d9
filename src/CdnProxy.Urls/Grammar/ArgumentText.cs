using System.Globalization;

namespace CdnProxy.Urls.Grammar;

/// <summary>
/// The text forms of the scalar argument types, in one place: the server's binders (<c>ArgumentReader</c>) read values
/// with these, and the client library checks the values it writes with the same ones, so a URL the client builds is
/// one the server reads.
/// </summary>
public static class ArgumentText
{
    /// <summary>How choice tokens (<c>cover</c>, <c>jpeg</c>) and named qualities (<c>good</c>) are compared: case does not matter.</summary>
    public static StringComparer ChoiceComparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>A whole number, optionally signed, from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static bool TryWhole(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    /// <summary>A finite decimal number, optionally signed, from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static bool TryReal(string text, double min, double max, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value) && value >= min && value <= max;

    /// <summary><c>true</c>/<c>1</c> or <c>false</c>/<c>0</c>.</summary>
    public static bool TryFlag(string text, out bool value)
    {
        (var known, value) = text switch
        {
            "true" or "1" => (true, true),
            "false" or "0" => (true, false),
            _ => (false, false),
        };
        return known;
    }

    /// <summary>A quality: one of <paramref name="words"/>, or a plain whole number from <paramref name="min"/> to 100.</summary>
    public static bool TryQuality(string text, IReadOnlyDictionary<string, int> words, int min, out int value)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.TryGetValue(text, out value)
            || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= 100);
    }

    /// <summary>A colour, 6 or 8 hex digits (either case): <c>RRGGBB</c> or <c>RRGGBBAA</c>.</summary>
    public static bool TryColour(string text, out uint value)
    {
        value = 0;
        return text.Length is 6 or 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
