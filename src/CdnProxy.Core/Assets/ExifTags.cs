namespace CdnProxy.Core.Assets;

/// <summary>
/// EXIF as tags, from the fields libvips parses out of a file's EXIF block (<c>exif-ifd0-Make</c> = "Canon (Canon,
/// ASCII, 6 components, 6 bytes)"): the tag name and the raw value, before libvips' notes.
/// </summary>
public static class ExifTags
{
    private const string Prefix = "exif-ifd";
    private const int MaxValueLength = 256;

    /// <summary>
    /// The tags among <paramref name="fields"/> (name → libvips' string value). The GPS directory (IFD 3) only when
    /// <paramref name="includeGps"/>: a photo's location is not for everyone who can see the photo.
    /// </summary>
    public static SortedDictionary<string, string> From(IEnumerable<KeyValuePair<string, string?>> fields, bool includeGps)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || value is null || name.Length < Prefix.Length + 3)
            {
                continue;
            }

            var directory = name[Prefix.Length];
            var tag = name[(Prefix.Length + 2)..];
            if ((directory == '3' || tag.StartsWith("GPS", StringComparison.Ordinal)) && !includeGps)
            {
                continue;
            }

            // libvips writes "raw (readable, type, n components, m bytes)"; the raw value is the stable part (the
            // readable one is "Internal error (unknown value 1)" for many enumerations).
            var notes = value.IndexOf(" (", StringComparison.Ordinal);
            var text = (notes > 0 ? value[..notes] : value).Trim();
            tags[tag] = text.Length > MaxValueLength ? text[..MaxValueLength] : text;
        }

        return tags;
    }
}
