namespace CdnProxy.Urls.Workers;

/// <summary>The built-in value filters of worker templates and the lookup of named value maps.</summary>
internal static class WorkerFilters
{
    /// <summary>The built-in filter names.</summary>
    public static readonly IReadOnlySet<string> BuiltIn = new HashSet<string>(StringComparer.Ordinal) { "int", "number", "color", "lower" };

    /// <summary>Applies one filter to a non-empty value.</summary>
    /// <param name="filter">A built-in filter or the name of a map in <paramref name="maps"/>.</param>
    /// <param name="value">The value.</param>
    /// <param name="maps">The rule's value maps.</param>
    /// <param name="result">The converted value.</param>
    /// <returns>False when the value is not acceptable to the filter.</returns>
    public static bool TryApply(
        string filter,
        string value,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> maps,
        out string result)
    {
        result = value;
        switch (filter)
        {
            case "int":
                return IsInteger(value);
            case "number":
                return IsNumber(value);
            case "lower":
                result = value.ToLowerInvariant();
                return true;
            case "color":
                return TryColor(value, out result);
            default:
                return maps.TryGetValue(filter, out var map) && map.TryGetValue(value, out result!);
        }
    }

    private static bool IsInteger(string value)
    {
        var digits = value.StartsWith('-') ? value.AsSpan(1) : value.AsSpan();
        return digits.Length is > 0 and <= 9 && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsNumber(string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        return dot < 0
            ? IsInteger(value)
            : (dot == 0 || value[..dot] is "-" || IsInteger(value[..dot]))
                && IsInteger(value[(dot + 1)..]) && !value[(dot + 1)..].StartsWith('-');
    }

    /// <summary><c>#fff</c>, <c>rgb:ffffff</c>, <c>FFFFFF80</c> → lowercase <c>RRGGBB</c> or <c>RRGGBBAA</c>.</summary>
    private static bool TryColor(string value, out string result)
    {
        var hex = value.StartsWith('#') ? value[1..]
            : value.StartsWith("rgb:", StringComparison.OrdinalIgnoreCase) ? value[4..]
            : value;
        hex = hex.ToLowerInvariant();
        result = hex;
        if (hex.Length == 0 || !hex.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        if (hex.Length is 3 or 4)
        {
            result = string.Concat(hex.Select(c => new string(c, 2)));
            return true;
        }

        return hex.Length is 6 or 8;
    }
}
