using CdnProxy.Core.Pipeline;
using CdnProxy.Vips;
using NetVips;

namespace CdnProxy.Core.Assets;

/// <summary>
/// Reads an image's header, never its pixels, from a seekable stream: libvips pulls only the bytes the header needs
/// (a local file or ranged reads of a staged S3 object), so a 200 MB upload costs a few kilobytes here. The one
/// class that touches libvips for uploads and asset information; EXIF, palette and faces (issue 13) belong here too.
/// </summary>
public static class ImageHeaderReader
{
    /// <summary>
    /// The header of the image in <paramref name="content"/> (position 0 = its first byte), whose size is
    /// <paramref name="size"/>. Unknown or disallowed formats fail with <see cref="CdnErrorKind.UnsupportedFormat"/>,
    /// a header libvips cannot read with <see cref="CdnErrorKind.UndecodableImage"/>. A read of
    /// <paramref name="content"/> that fails (the store behind it timing out) fails the call with that failure.
    /// </summary>
    public static ImageMeta Read(Stream content, long size)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var kept = new FailureKeepingStream(content);
        ImageMeta meta;
        try
        {
            meta = ReadHeader(kept, size);
        }
        catch (CdnException) when (kept.Failure is not null)
        {
            // libvips saw a read error and blamed the file; the store failed.
            kept.Failure.Throw();
            throw;
        }

        // A loader that read past a failed read may have described less than the file (fewer frames, so fewer pixels).
        kept.Failure?.Throw();
        return meta;
    }

    private static ImageMeta ReadHeader(Stream content, long size)
    {
        var loader = Image.FindLoadStream(content);
        content.Position = 0;
        if (loader is null || !VipsRuntime.IsAllowedLoader(loader))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "The file is not an image in a supported format");
        }

        try
        {
            using var image = Image.NewFromStream(content, string.Empty, Enums.Access.Sequential, Enums.FailOn.None);
            return Describe(loader, image, size);
        }
        catch (VipsException e)
        {
            throw new CdnException(CdnErrorKind.UndecodableImage, "The image header could not be read", e);
        }
    }

    /// <summary>
    /// <see cref="Read"/> on a render worker of <paramref name="gate"/>, with the stream <paramref name="open"/> gives
    /// (disposed after). Never on the thread pool: libvips parses the header there (an SVG whole) and reads a staged S3
    /// object through blocking ranged requests, and a pool thread held that long delays every timer of the process
    /// (Redis, render and origin timeouts). Refused like any render when the gate is full.
    /// </summary>
    public static Task<ImageMeta> ReadOnRenderWorkerAsync(RenderGate gate, Func<Stream> open, long size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(open);
        return gate.RunHeaderReadAsync(
            () =>
            {
                using var content = open();
                return Read(content, size);
            },
            cancellationToken);
    }

    /// <summary><see cref="ReadOnRenderWorkerAsync(RenderGate, Func{Stream}, long, CancellationToken)"/> of bytes in memory.</summary>
    public static Task<ImageMeta> ReadOnRenderWorkerAsync(RenderGate gate, byte[] content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return ReadOnRenderWorkerAsync(gate, () => new MemoryStream(content, writable: false), content.Length, cancellationToken);
    }

    /// <summary>The facts of an image already opened by <paramref name="loader"/> (header only), of <paramref name="size"/> bytes.</summary>
    public static ImageMeta Describe(string loader, VipsImage image, long size)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(image);
        var format = FormatOf(loader, image);
        var pages = image.GetInt("n-pages") ?? 1;
        var pageHeight = image.GetInt("page-height") is { } ph && ph > 0 && pages > 1 ? ph : image.Height;
        return new ImageMeta
        {
            Format = format,
            Size = size,
            Width = image.Width,
            Height = pageHeight,
            Space = SpaceName(image.Interpretation),
            Channels = image.Bands,
            Depth = image.Format.ToString().ToLowerInvariant(),
            Density = image.Xres > 1 ? Math.Round(image.Xres * 25.4, 2) : null,
            IsProgressive = (image.GetInt("interlaced") ?? 0) != 0,
            HasProfile = image.HasField("icc-profile-data"),
            HasAlpha = image.HasAlpha(),
            Orientation = image.GetInt("orientation") is { } o and >= 1 and <= 8 ? o : null,
            Pages = Math.Max(1, pages),
            ContentType = ContentTypeOf(format),
        };
    }

    private static string FormatOf(string loader, VipsImage image)
    {
        if (Contains(loader, "heif"))
        {
            return string.Equals(image.GetString("heif-compression"), "av1", StringComparison.OrdinalIgnoreCase) ? "avif" : "heic";
        }

        string[] known = ["jpeg", "png", "webp", "gif", "tiff", "svg", "jp2k", "jxl"];
        return known.FirstOrDefault(f => Contains(loader, f)) ?? "unknown";
    }

    private static string ContentTypeOf(string format) => format switch
    {
        "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "jp2k" => "image/jp2",
        _ => "image/" + format,
    };

    // libvips' nicknames (what sharp reports): the enum names in lower case, except b-w.
    private static string SpaceName(Enums.Interpretation interpretation) =>
        interpretation == Enums.Interpretation.Bw ? "b-w" : interpretation.ToString().ToLowerInvariant();

    private static bool Contains(string loader, string part) => loader.Contains(part, StringComparison.OrdinalIgnoreCase);
}
