using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Planning;

/// <summary>
/// <c>f_auto</c>: picks AVIF, then WebP, then the source's format from the <c>Accept</c> header. Every Accept value
/// collapses into one of a few buckets, so junk headers cannot multiply cache entries. An explicit
/// <c>t.toFormat</c> always wins. AVIF cannot carry an animation here, so the AVIF choice names the format an
/// animated source gets instead: WebP when accepted, else the source's own (four buckets at most; see
/// docs/operations.md, Animation).
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

        var webp = Accepts(accept, "image/webp");
        var output = Accepts(accept, "image/avif")
            ? plan.Output with { Format = OutputFormat.Avif, AnimatedFormat = webp ? OutputFormat.Webp : OutputFormat.Source }
            : webp ? plan.Output with { Format = OutputFormat.Webp }
            : plan.Output;
        return (output == plan.Output ? plan : plan with { Output = output }, true);
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
