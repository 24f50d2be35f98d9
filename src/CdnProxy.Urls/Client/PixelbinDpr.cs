using System.Globalization;

namespace CdnProxy.Urls.Client;

/// <summary>A device pixel ratio as the SDK carries it: a number from 0.1 to 5, or <c>auto</c>.</summary>
public readonly record struct PixelbinDpr
{
    private PixelbinDpr(double? value) => Value = value;

    /// <summary><c>dpr=auto</c>: the server picks the ratio from client hints.</summary>
    public static PixelbinDpr Auto { get; }

    /// <summary>The numeric ratio, or <see langword="null"/> for <see cref="Auto"/>.</summary>
    public double? Value { get; }

    /// <summary>Whether this is <c>auto</c>.</summary>
    public bool IsAuto => Value is null;

    /// <summary>The smallest numeric ratio, for the SDK and the server (which reads <c>dpr</c> with the same bounds).</summary>
    public const double MinValue = 0.1;

    /// <summary>The largest numeric ratio, for the SDK and the server.</summary>
    public const double MaxValue = 5;

    /// <summary>Whether the ratio is <c>auto</c> or a number from <see cref="MinValue"/> to <see cref="MaxValue"/> inclusive, the range the SDK accepts.</summary>
    public bool IsInRange => Value is not { } v || (v >= MinValue && v <= MaxValue);

    /// <summary>A numeric ratio. It is not range-checked here; the parser and <see cref="PixelbinUrls.ObjToUrl(PixelbinUrlObject)"/> check it.</summary>
    /// <param name="value">The ratio.</param>
    /// <returns>The ratio.</returns>
    public static PixelbinDpr FromNumber(double value) => new(value);

    /// <summary>Converts a number to a ratio, like <see cref="FromNumber"/>.</summary>
    /// <param name="value">The ratio.</param>
    public static implicit operator PixelbinDpr(double value) => new(value);

    /// <summary>Reads <c>auto</c> (any case) or a decimal number.</summary>
    /// <param name="text">The text, e.g. <c>2.0</c> or <c>auto</c>.</param>
    /// <param name="dpr">The ratio when the text is readable.</param>
    /// <returns><see langword="true"/> when the text is <c>auto</c> or a finite number.</returns>
    public static bool TryParse(string? text, out PixelbinDpr dpr)
    {
        dpr = Auto;
        if (text is null)
        {
            return false;
        }

        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var number))
        {
            dpr = new PixelbinDpr(number);
            return true;
        }

        return false;
    }

    /// <summary>Reads <c>auto</c> or a number, throwing the SDK's DPR error otherwise.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The ratio.</returns>
    /// <exception cref="PixelbinUrlException">The text is not <c>auto</c> or a number.</exception>
    public static PixelbinDpr Parse(string? text) => TryParse(text, out var dpr)
        ? dpr
        : throw new PixelbinUrlException(PixelbinErrorKind.IllegalQueryParameter, PixelbinUrlException.DprMessage);

    /// <summary>The query form, formatted as JavaScript prints numbers: <c>2</c>, <c>2.5</c>, <c>auto</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value is { } v ? PixelbinFormat.Number(v) : "auto";
}

/// <summary>Formatting helpers shared by the client API.</summary>
internal static class PixelbinFormat
{
    /// <summary>Formats a number the way JavaScript's <c>String(number)</c> does for ordinary values.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a boolean as <c>true</c> / <c>false</c>.</summary>
    public static string Bool(bool value) => value ? "true" : "false";
}
