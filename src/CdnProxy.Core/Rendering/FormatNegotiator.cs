namespace CdnProxy.Core.Rendering;

/// <summary>
/// <c>f_auto</c>: picks AVIF, then WebP, then the source's format from the <c>Accept</c> header. Every Accept value
/// collapses into one of those three buckets, so junk headers cannot multiply cache entries. An explicit
/// <c>t.toFormat</c> always wins.
/// </summary>
public static class FormatNegotiator
{
    /// <summary>The plan to render and whether the response varies by <c>Accept</c>.</summary>
    public static (RenderPlan Plan, bool VariesByAccept) Negotiate(RenderPlan plan, bool formatAuto, string? accept)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!formatAuto || plan.Output.Format != OutputFormat.Source)
        {
            return (plan, false);
        }

        var chosen = Accepts(accept, "image/avif") ? OutputFormat.Avif
            : Accepts(accept, "image/webp") ? OutputFormat.Webp
            : OutputFormat.Source;
        return (chosen == OutputFormat.Source ? plan : plan with { Output = plan.Output with { Format = chosen } }, true);
    }

    /// <summary>True when <paramref name="accept"/> lists <paramref name="mediaType"/> with a non-zero quality.</summary>
    private static bool Accepts(string? accept, string mediaType)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return false;
        }

        foreach (var range in accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parameters = range.Split(';', StringSplitOptions.TrimEntries);
            if (!string.Equals(parameters[0], mediaType, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var quality = parameters.Skip(1).FirstOrDefault(p => p.StartsWith("q=", StringComparison.OrdinalIgnoreCase));
            return quality is null
                || !double.TryParse(quality.AsSpan(2), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q)
                || q > 0;
        }

        return false;
    }
}
