namespace CdnProxy.Vips;

/// <summary>The few typed libvips operations CdnProxy uses, each a thin call over <see cref="VipsCall"/>.</summary>
public static class VipsImageExtensions
{
    /// <summary>Resamples by <paramref name="scale"/> (and <paramref name="verticalScale"/> when stretching).</summary>
    public static VipsImage Resize(this VipsImage image, double scale, double? verticalScale, string kernel)
    {
        using var call = VipsCall.Create("resize").Set("in", image).Set("scale", scale).Set("kernel", kernel);
        if (verticalScale is { } vscale)
        {
            call.Set("vscale", vscale);
        }

        return call.Invoke().GetImage("out");
    }

    /// <summary>Mirrors: <c>horizontal</c> swaps left and right, <c>vertical</c> swaps top and bottom.</summary>
    public static VipsImage Flip(this VipsImage image, string direction) =>
        Run(VipsCall.Create("flip").Set("in", image).Set("direction", direction));

    /// <summary>Rotates by a multiple of 90 degrees clockwise: <c>d90</c>, <c>d180</c>, <c>d270</c>.</summary>
    public static VipsImage Rot(this VipsImage image, string angle) =>
        Run(VipsCall.Create("rot").Set("in", image).Set("angle", angle));

    /// <summary>Rotates by any angle (degrees, clockwise), growing the canvas and filling with <paramref name="background"/>.</summary>
    public static VipsImage Rotate(this VipsImage image, double angle, ReadOnlySpan<double> background) =>
        Run(VipsCall.Create("rotate").Set("in", image).Set("angle", angle).Set("background", background));

    /// <summary>Places the image at (<paramref name="x"/>, <paramref name="y"/>) on a canvas filled with <paramref name="background"/>.</summary>
    public static VipsImage Embed(this VipsImage image, int x, int y, int width, int height, ReadOnlySpan<double> background) =>
        Run(VipsCall.Create("embed").Set("in", image).Set("x", x).Set("y", y).Set("width", width).Set("height", height)
            .Set("extend", "background").Set("background", background));

    /// <summary>
    /// Places the image at (<paramref name="x"/>, <paramref name="y"/>) on a larger canvas whose new pixels follow
    /// <paramref name="extend"/>: <c>copy</c> (edge pixels), <c>mirror</c>, <c>repeat</c> or <c>black</c>/<c>white</c>.
    /// </summary>
    public static VipsImage Embed(this VipsImage image, int x, int y, int width, int height, string extend) =>
        Run(VipsCall.Create("embed").Set("in", image).Set("x", x).Set("y", y).Set("width", width).Set("height", height)
            .Set("extend", extend));

    public static VipsImage ExtractArea(this VipsImage image, int left, int top, int width, int height) =>
        Run(VipsCall.Create("extract_area").Set("input", image).Set("left", left).Set("top", top)
            .Set("width", width).Set("height", height));

    /// <summary>
    /// Joins equally sized images into a grid <paramref name="across"/> images wide, in reading order; with
    /// <paramref name="across"/> = 1 a vertical strip (how libvips lays out an animation's frames).
    /// </summary>
    public static VipsImage ArrayJoin(IReadOnlyList<VipsImage> images, int across) =>
        Run(VipsCall.Create("arrayjoin").Set("in", images).Set("across", across));

    /// <summary>
    /// The box left after removing edges that differ from <paramref name="background"/> (one value per band, alpha
    /// excluded) by less than <paramref name="threshold"/>; width or height 0 when nothing would be left.
    /// </summary>
    public static (int Left, int Top, int Width, int Height) FindTrim(this VipsImage image, double threshold, ReadOnlySpan<double> background)
    {
        using var call = VipsCall.Create("find_trim").Set("in", image).Set("threshold", threshold).Set("background", background);
        call.Invoke();
        return (call.GetInt("left"), call.GetInt("top"), call.GetInt("width"), call.GetInt("height"));
    }

    /// <summary>Applies the EXIF orientation and removes the tag.</summary>
    public static VipsImage Autorotate(this VipsImage image) =>
        Run(VipsCall.Create("autorot").Set("in", image));

    /// <summary>
    /// Converts through ICC profiles to <paramref name="outputProfile"/> (a path or a built-in name such as <c>srgb</c>),
    /// 8 bits deep, with the rendering <paramref name="intent"/> (<c>perceptual</c>, <c>relative</c>, ...).
    /// </summary>
    public static VipsImage IccTransform(this VipsImage image, string outputProfile, string? inputProfile = null, string intent = "perceptual")
    {
        using var call = VipsCall.Create("icc_transform").Set("in", image).Set("output_profile", outputProfile)
            .Set("embedded", true).Set("intent", intent).Set("depth", 8);
        if (inputProfile is not null)
        {
            call.Set("input_profile", inputProfile);
        }

        return call.Invoke().GetImage("out");
    }

    /// <summary>Converts to the colour space with nick <paramref name="space"/> (e.g. <c>srgb</c>, <c>b-w</c>).</summary>
    public static VipsImage Colourspace(this VipsImage image, string space) =>
        Run(VipsCall.Create("colourspace").Set("in", image).Set("space", space));

    /// <summary>Casts band values to the format with nick <paramref name="format"/> (e.g. <c>uchar</c>).</summary>
    public static VipsImage Cast(this VipsImage image, string format) =>
        Run(VipsCall.Create("cast").Set("in", image).Set("format", format));

    /// <summary>Composites the alpha channel onto <paramref name="background"/> and drops it.</summary>
    public static VipsImage Flatten(this VipsImage image, ReadOnlySpan<double> background) =>
        Run(VipsCall.Create("flatten").Set("in", image).Set("background", background));

    /// <summary>Appends constant bands (e.g. an opaque alpha of 255).</summary>
    public static VipsImage BandjoinConst(this VipsImage image, ReadOnlySpan<double> constants) =>
        Run(VipsCall.Create("bandjoin_const").Set("in", image).Set("c", constants));

    /// <summary>
    /// <c>a·in + b</c> per band (<paramref name="a"/> and <paramref name="b"/> hold one value per band, or one for
    /// all); with <paramref name="uchar"/> the result is rounded and clipped to 8 bits.
    /// </summary>
    public static VipsImage Linear(this VipsImage image, ReadOnlySpan<double> a, ReadOnlySpan<double> b, bool uchar = false) =>
        Run(VipsCall.Create("linear").Set("in", image).Set("a", a).Set("b", b).Set("uchar", uchar));

    /// <summary>Pixel-wise <paramref name="left"/> × <paramref name="right"/> (a one-band side applies to every band).</summary>
    public static VipsImage Multiply(this VipsImage left, VipsImage right) =>
        Run(VipsCall.Create("multiply").Set("left", left).Set("right", right));

    /// <summary>Pixel-wise <paramref name="left"/> + <paramref name="right"/> (a one-band side applies to every band).</summary>
    public static VipsImage Add(this VipsImage left, VipsImage right) =>
        Run(VipsCall.Create("add").Set("left", left).Set("right", right));

    /// <summary>Pixel-wise <paramref name="left"/> − <paramref name="right"/>, signed.</summary>
    public static VipsImage Subtract(this VipsImage left, VipsImage right) =>
        Run(VipsCall.Create("subtract").Set("left", left).Set("right", right));

    /// <summary>Converts to <paramref name="space"/>, reading the bands as <paramref name="sourceSpace"/> whatever the header says.</summary>
    public static VipsImage Colourspace(this VipsImage image, string space, string sourceSpace) =>
        Run(VipsCall.Create("colourspace").Set("in", image).Set("space", space).Set("source_space", sourceSpace));

    /// <summary>A new all-zero image of <paramref name="bands"/> 8-bit bands.</summary>
    public static VipsImage Black(int width, int height, int bands) =>
        Run(VipsCall.Create("black").Set("width", width).Set("height", height).Set("bands", bands));

    /// <summary>The band values of the pixel at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static double[] GetPoint(this VipsImage image, int x, int y)
    {
        using var call = VipsCall.Create("getpoint").Set("in", image).Set("x", x).Set("y", y).Invoke();
        return call.GetDoubles("out-array");
    }

    /// <summary>A copy (pixels shared) with the resolution set, in pixels per millimetre.</summary>
    public static VipsImage SetResolution(this VipsImage image, double xres, double yres) =>
        Run(VipsCall.Create("copy").Set("in", image).Set("xres", xres).Set("yres", yres));

    /// <summary>
    /// Sharpens the L channel in LAB space with a gaussian of <paramref name="sigma"/>: flat areas up to
    /// <paramref name="x1"/> get slope <paramref name="m1"/>, jagged areas <paramref name="m2"/>, clipped at
    /// <paramref name="y2"/> (brightening) and <paramref name="y3"/> (darkening). Extra bands pass through.
    /// </summary>
    public static VipsImage Sharpen(this VipsImage image, double sigma, double m1, double m2, double x1, double y2, double y3) =>
        Run(VipsCall.Create("sharpen").Set("in", image).Set("sigma", sigma).Set("m1", m1).Set("m2", m2)
            .Set("x1", x1).Set("y2", y2).Set("y3", y3));

    /// <summary>Replaces each pixel with the median of the <paramref name="size"/> × <paramref name="size"/> window around it.</summary>
    public static VipsImage Median(this VipsImage image, int size) =>
        Run(VipsCall.Create("rank").Set("in", image).Set("width", size).Set("height", size).Set("index", size * size / 2));

    /// <summary>Blurs with a gaussian of standard deviation <paramref name="sigma"/> pixels.</summary>
    public static VipsImage Gaussblur(this VipsImage image, double sigma) =>
        Run(VipsCall.Create("gaussblur").Set("in", image).Set("sigma", sigma));

    /// <summary>Multiplies the colour bands by alpha (0–255), giving a float image.</summary>
    public static VipsImage Premultiply(this VipsImage image) =>
        Run(VipsCall.Create("premultiply").Set("in", image));

    /// <summary>Divides the colour bands by alpha (0–255), undoing <see cref="Premultiply"/>.</summary>
    public static VipsImage Unpremultiply(this VipsImage image) =>
        Run(VipsCall.Create("unpremultiply").Set("in", image));

    /// <summary>Inverts every band: 255 − value for 8-bit images.</summary>
    public static VipsImage Invert(this VipsImage image) =>
        Run(VipsCall.Create("invert").Set("in", image));

    /// <summary>Takes band <paramref name="band"/> alone.</summary>
    public static VipsImage ExtractBand(this VipsImage image, int band) =>
        Run(VipsCall.Create("extract_band").Set("in", image).Set("band", band));

    /// <summary>The value below which <paramref name="percent"/> % of the pixels lie (integer formats).</summary>
    public static int Percent(this VipsImage image, double percent)
    {
        using var call = VipsCall.Create("percent").Set("in", image).Set("percent", percent).Invoke();
        return call.GetInt("threshold");
    }

    /// <summary>
    /// Composites <paramref name="overlay"/> onto <paramref name="image"/> with its top-left corner at
    /// (<paramref name="x"/>, <paramref name="y"/>), blending with the libvips mode <paramref name="mode"/> (e.g.
    /// <c>over</c>, <c>dest-over</c>, <c>colour-dodge</c>) in sRGB, alpha premultiplied inside the operation.
    /// The result has the base's size and an alpha band; parts of the overlay outside the base are clipped.
    /// </summary>
    public static VipsImage Composite2(this VipsImage image, VipsImage overlay, string mode, int x, int y) =>
        Run(VipsCall.Create("composite2").Set("base", image).Set("overlay", overlay).Set("mode", mode)
            .Set("x", x).Set("y", y));

    /// <summary>Repeats the image <paramref name="across"/> times horizontally and <paramref name="down"/> times vertically.</summary>
    public static VipsImage Replicate(this VipsImage image, int across, int down) =>
        Run(VipsCall.Create("replicate").Set("in", image).Set("across", across).Set("down", down));

    /// <summary>Takes <paramref name="count"/> bands starting at band <paramref name="first"/>.</summary>
    public static VipsImage ExtractBands(this VipsImage image, int first, int count) =>
        Run(VipsCall.Create("extract_band").Set("in", image).Set("band", first).Set("n", count));

    /// <summary>A copy (pixels shared) whose bands are read as the colour space with nick <paramref name="interpretation"/>.</summary>
    public static VipsImage WithInterpretation(this VipsImage image, string interpretation) =>
        Run(VipsCall.Create("copy").Set("in", image).Set("interpretation", interpretation));

    /// <summary>
    /// Bitwise AND of two images of the same size, band by band; a one-band <paramref name="other"/> applies to
    /// every band (a 0/255 mask keeps or clears whole pixels).
    /// </summary>
    public static VipsImage And(this VipsImage image, VipsImage other) =>
        Run(VipsCall.Create("boolean").Set("left", image).Set("right", other).Set("boolean", "and"));

    /// <summary>
    /// Encodes with the saver <paramref name="saver"/> (e.g. <c>jpegsave_buffer</c>); <paramref name="configure"/>
    /// sets its options. Metadata is stripped unless <paramref name="keep"/> names what to keep (libvips' keep
    /// flags, e.g. <c>exif</c>): the caller then removes from the image whatever it must not write.
    /// </summary>
    public static byte[] SaveToBuffer(this VipsImage image, string saver, Action<VipsCall>? configure = null, string keep = "none") =>
        SaveToBuffer(image, saver, static blob => blob.ToArray(), configure, keep);

    /// <summary>As <see cref="SaveToBuffer(VipsImage, string, Action{VipsCall}?, string)"/>, with the encoded bytes handed to <paramref name="copy"/>.</summary>
    public static byte[] SaveToBuffer(this VipsImage image, string saver, BlobCopier copy, Action<VipsCall>? configure = null, string keep = "none")
    {
        ArgumentNullException.ThrowIfNull(image);
        using var call = VipsCall.Create(saver);
        if (call.Has("keep"))
        {
            call.Set("in", image).Set("keep", keep);
            configure?.Invoke(call);
            return call.Invoke().GetBlob("buffer", copy);
        }

        // libvips 8.14's `strip` misses EXIF in some savers (WebP): remove the fields from the image itself.
        var stripAll = keep == "none";
        using var stripped = stripAll ? image.WithoutMetadata() : null;
        call.Set("in", stripped ?? image).SetIfPresent("strip", stripAll);
        configure?.Invoke(call);
        return call.Invoke().GetBlob("buffer", copy);
    }

    private static VipsImage Run(VipsCall call)
    {
        using (call)
        {
            return call.Invoke().GetImage("out");
        }
    }
}
