using System.Text.RegularExpressions;
using CdnProxy.Vips;

namespace CdnProxy.Core.Rendering.Savers;

/// <summary>
/// Keeps the EXIF copyright and artist notices, and nothing else, when <c>CdnProxy:Encoding:KeepCopyright</c> is
/// on. The image is stripped of every metadata field except fresh copies of those two, so libvips writes a new
/// EXIF block holding them (plus the resolution and orientation tags it always writes): no camera, GPS, XMP, IPTC
/// or ICC data survives.
/// </summary>
internal static partial class CopyrightNotice
{
    // Longer notices are not plausible and are dropped rather than parsed.
    private const int MaxNoticeLength = 2000;

    private static readonly string[] Fields = ["exif-ifd0-Copyright", "exif-ifd0-Artist"];

    /// <summary>
    /// A copy of <paramref name="image"/> carrying only its copyright notice and the keep flag to save it with,
    /// or null (save with <c>none</c>) when it has no notice.
    /// </summary>
    public static VipsImage? Isolate(VipsImage image)
    {
        var notices = Fields.Select(f => (Field: f, Value: Value(image.GetString(f))))
            .Where(n => !string.IsNullOrWhiteSpace(n.Value))
            .ToList();
        if (notices.Count == 0)
        {
            return null;
        }

        var current = image.WithoutMetadata();
        foreach (var (field, value) in notices)
        {
            var next = current.WithString(field, value!);
            current.Dispose();
            current = next;
        }

        return current;
    }

    /// <summary>
    /// The tag's text from libvips' rendering <c>value (value, ASCII, n components, m bytes)</c>. Writing that
    /// rendering back as-is would store the description inside the tag, so only the value is kept.
    /// </summary>
    internal static string? Value(string? field)
    {
        if (field is null || field.Length > MaxNoticeLength)
        {
            return null;
        }

        var match = Rendering().Match(field);
        return (match.Success ? match.Groups["value"].Value : field).Trim();
    }

    [GeneratedRegex(@"^(?<value>.*) \(\k<value>, ASCII, \d+ components, \d+ bytes\)$", RegexOptions.Singleline, 100)]
    private static partial Regex Rendering();
}
