using CdnProxy.Vips;

namespace CdnProxy.Tests.Common;

/// <summary>Decodes encoded output in tests to check its size, bands and pixels.</summary>
public sealed class ImageProbe : IDisposable
{
    private readonly VipsImage _image;

    private ImageProbe(VipsImage image, string loader)
    {
        _image = image;
        Loader = loader;
    }

    public string Loader { get; }

    public int Width => _image.Width;

    public int Height => _image.Height;

    public int Bands => _image.Bands;

    public bool HasAlpha => _image.HasAlpha();

    public NetVips.Enums.Interpretation Interpretation => _image.Interpretation;

    public NetVips.Enums.BandFormat BandFormat => _image.Format;

    /// <summary>Horizontal density in dots per inch.</summary>
    public double Dpi => _image.Xres * 25.4;

    /// <summary>A string metadata field as libvips renders it (e.g. <c>exif-ifd0-Copyright</c>), or null.</summary>
    public string? Field(string name) => _image.GetString(name);

    /// <summary>True when any metadata field starts with <paramref name="prefix"/> (e.g. <c>exif-ifd3-</c> for GPS).</summary>
    public bool HasFieldStartingWith(string prefix) => _image.GetFields().Any(f => f.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The decoded image, owned by this probe.</summary>
    public VipsImage Image => _image;

    /// <summary>The number of pages/frames in the encoded image.</summary>
    public int Pages => _image.Pages();

    /// <summary>The height of one frame (the whole height for a still image or one opened with <see cref="Open"/>).</summary>
    public int PageHeight => _image.PageHeight;

    /// <summary>Frames actually decoded: all of them after <see cref="OpenAllFrames"/>, else 1.</summary>
    public int FramesDecoded => _image.Height / _image.PageHeight;

    /// <summary>Each frame's delay in milliseconds (empty for a still image).</summary>
    public int[] Delays => _image.GetIntArray("delay") ?? [];

    /// <summary>The animation's loop count (0 = forever), or null for a still image.</summary>
    public int? Loop => _image.GetInt("loop");

    /// <summary>True when the output still carries metadata that should have been stripped.</summary>
    public bool HasExifOrIcc => _image.HasField("exif-data") || _image.HasField("icc-profile-data") || _image.HasField("xmp-data");

    public static ImageProbe Open(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        VipsTestRuntime.Ensure();
        var loader = VipsLoader.FindLoader(encoded) ?? throw new InvalidOperationException("Not an image");
        return new ImageProbe(VipsLoader.Load(loader, encoded), loader);
    }

    /// <summary>Decodes every frame of an animation as one vertical strip (see <see cref="FramePixel"/>).</summary>
    public static ImageProbe OpenAllFrames(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        VipsTestRuntime.Ensure();
        var loader = VipsLoader.FindLoader(encoded) ?? throw new InvalidOperationException("Not an image");
        return new ImageProbe(VipsLoader.Load(loader, encoded, allPages: true), loader);
    }

    /// <summary>The band values at (<paramref name="x"/>, <paramref name="y"/>) of frame <paramref name="frame"/> (0-based).</summary>
    public double[] FramePixel(int frame, int x, int y) => _image.Getpoint(x, (frame * PageHeight) + y);

    /// <summary>The band values at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public double[] Pixel(int x, int y) => _image.Getpoint(x, y);

    public void Dispose()
    {
        _image.Dispose();
    }
}
