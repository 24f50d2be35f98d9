using CdnProxy.Vips;

namespace CdnProxy.Core.Transformations;

/// <summary>
/// Decodes an image a step references (a merge image) with the same safety as the original: allow-listed loaders,
/// the source pixel limit checked from the header, EXIF auto-orientation, 8-bit sRGB. The result is decoded into
/// memory here, so a corrupt file fails as this file's fault and not later, at encoding, as the original's.
/// </summary>
internal static class ReferencedImageLoader
{
    public static VipsImage LoadUpright(ReadOnlySpan<byte> bytes, RenderContext context, string what)
    {
        var loader = VipsLoader.FindLoader(bytes)
            ?? throw new CdnException(CdnErrorKind.UndecodableImage, $"The {what} is not in a supported image format");
        VipsImage? image = null;
        try
        {
            using (var header = VipsLoader.Load(loader, bytes))
            {
                context.Deadline?.Watch(header);
                if ((long)header.Width * header.Height > context.Limits.MaxSourcePixels)
                {
                    throw new CdnException(CdnErrorKind.LimitExceeded, $"The {what} has more pixels than this server accepts");
                }

                image = header.Autorot();
            }

            image = RenderSteps.ToSrgb(image);
            return RenderSteps.Replace(image, RenderDeadline.InMemory(image, context.Deadline));
        }
        catch (NetVips.VipsException e) when (context.Deadline?.Expired == true)
        {
            image?.Dispose();
            throw RenderDeadline.TimedOut(e);
        }
        catch (NetVips.VipsException e)
        {
            image?.Dispose();
            throw new CdnException(CdnErrorKind.UndecodableImage, $"The {what} could not be decoded: it is corrupt or truncated", e);
        }
    }
}
