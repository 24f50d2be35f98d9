using NetVips;

namespace CdnProxy.Vips;

/// <summary>Finding and running libvips loaders on in-memory sources.</summary>
public static class VipsLoader
{
    // libvips' page count meaning "every page".
    private const int AllPages = -1;

    /// <summary>
    /// The loader (e.g. <c>jpegload_buffer</c>) libvips would use for these bytes, or null when no allowed
    /// loader recognises them.
    /// </summary>
    public static string? FindLoader(ReadOnlySpan<byte> source)
    {
        var loader = Image.FindLoadBuffer(source);
        return loader is not null && VipsRuntime.IsAllowedLoader(loader) ? loader : null;
    }

    /// <summary>
    /// Opens the image with <paramref name="loader"/>: reads the header only, pixels are decoded lazily when something
    /// reads them. <paramref name="failOnTruncated"/> turns truncated or corrupt data into an error instead of a grey
    /// area. With <paramref name="allPages"/> a multi-page source (an animation) opens as one vertical strip of its
    /// pages, with <c>page-height</c>, <c>delay</c> and <c>loop</c> set; otherwise only the first page is read.
    /// </summary>
    public static Image Load(string loader, ReadOnlySpan<byte> source, bool failOnTruncated = true, bool allPages = false)
    {
        using var copy = CopyToSource(source);
        return Load(loader, copy, failOnTruncated, allPages);
    }

    /// <inheritdoc cref="Load(string, ReadOnlySpan{byte}, bool, bool)"/>
    /// <remarks>From bytes already in memory libvips owns (<see cref="CopyToSource"/>): several images may be opened from
    /// one copy, and each keeps it alive.</remarks>
    public static Image Load(string loader, Source source, bool failOnTruncated = true, bool allPages = false)
    {
        var options = new VOption();
        if (allPages && Introspect.Get(loader).OptionalInput.ContainsKey("n"))
        {
            options.Add("n", AllPages); // loaders of single-image formats have no page count
        }

        return Open(source, options, access: null, failOnTruncated);
    }

    /// <summary>
    /// The bytes copied into memory libvips owns, so images opened from them outlive the caller's (pooled) buffer.
    /// A source rather than a buffer argument: NetVips reports a buffer's size to the GC as memory pressure, which on a
    /// small managed heap forces a full collection every few renders (measured: 1 in 4 at 3 MP); a source reports none.
    /// </summary>
    public static Source CopyToSource(ReadOnlySpan<byte> bytes) => Source.NewFromMemory(bytes);

    /// <summary>
    /// The largest factor of 2, 4 or 8 by which <paramref name="loader"/> can shrink while decoding (JPEG's DCT
    /// scaling, WebP's scaled decode) without going below a 1/<paramref name="reduction"/> reduction; 1 when the
    /// format cannot shrink on load. As sharp's fast shrink-on-load: the rest is left to a proper resample.
    /// </summary>
    public static int ShrinkOnLoadFactor(string loader, double reduction)
    {
        ArgumentNullException.ThrowIfNull(loader);
        if (!CanShrinkOnLoad(loader))
        {
            return 1;
        }

        return reduction >= 8 ? 8 : reduction >= 4 ? 4 : reduction >= 2 ? 2 : 1;
    }

    /// <summary>
    /// Opens the first page decoded at 1/<paramref name="shrink"/> of its size (rounded up); see
    /// <see cref="ShrinkOnLoadFactor"/>. With <paramref name="sequential"/> the pixels stream from the decoder (least
    /// memory) and can be read once, top to bottom; otherwise they are decoded whole, on first use.
    /// </summary>
    /// <remarks>From bytes in memory libvips owns (<see cref="CopyToSource"/>), which a header may have been read from.</remarks>
    public static Image LoadShrunk(string loader, Source source, int shrink, bool sequential, bool failOnTruncated = true)
    {
        var options = new VOption();
        if (shrink > 1)
        {
            if (IsJpeg(loader))
            {
                options.Add("shrink", shrink);
            }
            else if (IsWebp(loader))
            {
                options.Add("scale", 1.0 / shrink);
            }
            else
            {
                throw new ArgumentException($"{loader} cannot shrink on load", nameof(loader));
            }
        }

        return Open(source, options, sequential ? Enums.Access.Sequential : Enums.Access.Random, failOnTruncated);
    }

    private static bool CanShrinkOnLoad(string loader) => IsJpeg(loader) || IsWebp(loader);

    // Loaders are named by class (VipsForeignLoadJpegBuffer) or by nickname (jpegload_buffer).
    private static bool IsJpeg(string loader) => loader.Contains("jpeg", StringComparison.OrdinalIgnoreCase);

    private static bool IsWebp(string loader) => loader.Contains("webp", StringComparison.OrdinalIgnoreCase);

    // Each loader rewinds the source before it reads, so several images can be opened from one (a header, then the
    // shrunk decode); an image reads the source only while its pixels are computed.
    private static Image Open(Source source, VOption options, Enums.Access? access, bool failOnTruncated) =>
        Image.NewFromSource(source, string.Empty, access, failOnTruncated ? Enums.FailOn.Truncated : Enums.FailOn.None, options);
}
