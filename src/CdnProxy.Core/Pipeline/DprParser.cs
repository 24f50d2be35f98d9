using System.Globalization;
using CdnProxy.Urls.Client;

namespace CdnProxy.Core.Pipeline;

/// <summary>Reads the <c>dpr</c> query option: a number from 0.1 to 5, or <c>auto</c> (client hints, else 1).</summary>
public static class DprParser
{
    // The client library's bounds, so that a dpr it writes is one this reads.
    public const double Min = PixelbinDpr.MinValue;
    public const double Max = PixelbinDpr.MaxValue;

    public static double Parse(string? query, string? clientHint)
    {
        if (string.IsNullOrEmpty(query))
        {
            return 1;
        }

        if (string.Equals(query, "auto", StringComparison.OrdinalIgnoreCase))
        {
            // A hint outside the range is the client's problem, not a reason to fail: clamp it. Rounded as a query
            // value is, so DPR: 2.0000001 is the rendition of 2, not one more cache entry per digit.
            return TryNumber(clientHint, out var hinted) ? Round(Math.Clamp(hinted, Min, Max)) : 1;
        }

        return TryNumber(query, out var value) && value is >= Min and <= Max
            ? Round(value)
            : throw CdnException.InvalidArgument("dpr must be a number from 0.1 to 5, or auto");
    }

    private static double Round(double dpr) => Math.Round(dpr, 2);

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
