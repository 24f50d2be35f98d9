namespace CdnProxy.Urls.Client;

/// <summary>
/// Builders for the basic plugin <c>t</c> (spec §3), emitting exactly what the core SDK emits: arguments appear in the
/// SDK's key order, <see langword="null"/> arguments are skipped, zero is emitted, and a call with no arguments at all
/// emits the SDK's defaults (e.g. <c>Basic.Flatten()</c> → <c>t.flatten(b:000000)</c>).
/// </summary>
public static class Basic
{
    private const string Plugin = "t";

    /// <summary><c>t.resize</c>; keys h, w, f, b, p, k, dpr.</summary>
    /// <param name="height">Height in px (0 = auto).</param>
    /// <param name="width">Width in px (0 = auto).</param>
    /// <param name="fit"><c>cover</c>, <c>contain</c>, <c>fill</c>, <c>inside</c> or <c>outside</c>.</param>
    /// <param name="background">Letterbox colour, RRGGBB or RRGGBBAA without <c>#</c>.</param>
    /// <param name="position"><c>top</c>, <c>bottom</c>, <c>left</c>, <c>right</c>, <c>right_top</c>, <c>right_bottom</c>, <c>left_top</c>, <c>left_bottom</c> or <c>center</c>.</param>
    /// <param name="algorithm"><c>nearest</c>, <c>cubic</c>, <c>mitchell</c>, <c>lanczos2</c> or <c>lanczos3</c>.</param>
    /// <param name="dpr">Device pixel ratio multiplying the dimensions.</param>
    /// <returns>The operation.</returns>
    public static Transformation Resize(int? height = null, int? width = null, string? fit = null, string? background = null, string? position = null, string? algorithm = null, double? dpr = null) =>
        new Args().Add("h", height).Add("w", width).Add("f", fit).Add("b", background).Add("p", position).Add("k", algorithm).Add("dpr", dpr)
            .Build(Plugin, "resize", new Args().Add("h", 0).Add("w", 0).Add("f", "cover").Add("b", "000000").Add("p", "center").Add("k", "lanczos3").Add("dpr", 1));

    /// <summary><c>t.compress</c>; key q.</summary>
    /// <param name="quality">Quality 0–100.</param>
    /// <returns>The operation.</returns>
    public static Transformation Compress(int? quality = null) =>
        new Args().Add("q", quality).Build(Plugin, "compress", new Args().Add("q", 80));

    /// <summary><c>t.extend</c>; keys t, l, b, r, bc, bt, dpr.</summary>
    /// <param name="top">Pixels added at the top.</param>
    /// <param name="left">Pixels added at the left.</param>
    /// <param name="bottom">Pixels added at the bottom.</param>
    /// <param name="right">Pixels added at the right.</param>
    /// <param name="background">Fill colour for <c>constant</c>.</param>
    /// <param name="borderType"><c>constant</c>, <c>replicate</c>, <c>reflect</c> or <c>wrap</c>.</param>
    /// <param name="dpr">Device pixel ratio.</param>
    /// <returns>The operation.</returns>
    public static Transformation Extend(int? top = null, int? left = null, int? bottom = null, int? right = null, string? background = null, string? borderType = null, double? dpr = null) =>
        new Args().Add("t", top).Add("l", left).Add("b", bottom).Add("r", right).Add("bc", background).Add("bt", borderType).Add("dpr", dpr)
            .Build(Plugin, "extend", new Args().Add("t", 10).Add("l", 10).Add("b", 10).Add("r", 10).Add("bc", "000000").Add("bt", "constant").Add("dpr", 1));

    /// <summary><c>t.extract</c>; keys t, l, h, w, bbox.</summary>
    /// <param name="top">Offset from the top edge.</param>
    /// <param name="left">Offset from the left edge.</param>
    /// <param name="height">Region height.</param>
    /// <param name="width">Region width.</param>
    /// <param name="boundingBox">The region as <c>top_left_height_width</c>.</param>
    /// <returns>The operation.</returns>
    public static Transformation Extract(int? top = null, int? left = null, int? height = null, int? width = null, string? boundingBox = null) =>
        new Args().Add("t", top).Add("l", left).Add("h", height).Add("w", width).Add("bbox", boundingBox)
            .Build(Plugin, "extract", new Args().Add("t", 10).Add("l", 10).Add("h", 50).Add("w", 20));

    /// <summary><c>t.trim</c>; key t.</summary>
    /// <param name="threshold">Colour distance threshold 1–500.</param>
    /// <returns>The operation.</returns>
    public static Transformation Trim(int? threshold = null) =>
        new Args().Add("t", threshold).Build(Plugin, "trim", new Args().Add("t", 10));

    /// <summary><c>t.rotate</c>; keys a, b.</summary>
    /// <param name="angle">Degrees; negative allowed.</param>
    /// <param name="background">Fill colour for angles that are not multiples of 90.</param>
    /// <returns>The operation.</returns>
    public static Transformation Rotate(int? angle = null, string? background = null) =>
        new Args().Add("a", angle).Add("b", background).Build(Plugin, "rotate", new Args().Add("a", 0).Add("b", "000000"));

    /// <summary><c>t.flip()</c>: mirror top to bottom.</summary>
    /// <returns>The operation.</returns>
    public static Transformation Flip() => Transformation.Custom(Plugin, "flip");

    /// <summary><c>t.flop()</c>: mirror left to right.</summary>
    /// <returns>The operation.</returns>
    public static Transformation Flop() => Transformation.Custom(Plugin, "flop");

    /// <summary><c>t.sharpen</c>; key s.</summary>
    /// <param name="sigma">Sigma 0.1–10.</param>
    /// <returns>The operation.</returns>
    public static Transformation Sharpen(double? sigma = null) =>
        new Args().Add("s", sigma).Build(Plugin, "sharpen", new Args().Add("s", 1.5));

    /// <summary><c>t.median</c>; key s.</summary>
    /// <param name="size">Mask size 1–10.</param>
    /// <returns>The operation.</returns>
    public static Transformation Median(int? size = null) =>
        new Args().Add("s", size).Build(Plugin, "median", new Args().Add("s", 3));

    /// <summary><c>t.blur</c>; keys s, dpr.</summary>
    /// <param name="sigma">Sigma 0.3–100.</param>
    /// <param name="dpr">Device pixel ratio.</param>
    /// <returns>The operation.</returns>
    public static Transformation Blur(double? sigma = null, double? dpr = null) =>
        new Args().Add("s", sigma).Add("dpr", dpr).Build(Plugin, "blur", new Args().Add("s", 0.3).Add("dpr", 1));

    /// <summary><c>t.flatten</c>; key b.</summary>
    /// <param name="background">Colour the alpha channel is merged onto.</param>
    /// <returns>The operation.</returns>
    public static Transformation Flatten(string? background = null) =>
        new Args().Add("b", background).Build(Plugin, "flatten", new Args().Add("b", "000000"));

    /// <summary><c>t.negate()</c>.</summary>
    /// <returns>The operation.</returns>
    public static Transformation Negate() => Transformation.Custom(Plugin, "negate");

    /// <summary><c>t.normalise()</c>.</summary>
    /// <returns>The operation.</returns>
    public static Transformation Normalise() => Transformation.Custom(Plugin, "normalise");

    /// <summary><c>t.linear</c>; keys a, b (output = a·input + b).</summary>
    /// <param name="a">Multiplier.</param>
    /// <param name="b">Offset.</param>
    /// <returns>The operation.</returns>
    public static Transformation Linear(int? a = null, int? b = null) =>
        new Args().Add("a", a).Add("b", b).Build(Plugin, "linear", new Args().Add("a", 1).Add("b", 0));

    /// <summary><c>t.modulate</c>; keys b, s, h.</summary>
    /// <param name="brightness">Brightness multiplier.</param>
    /// <param name="saturation">Saturation multiplier.</param>
    /// <param name="hue">Hue rotation in degrees.</param>
    /// <returns>The operation.</returns>
    public static Transformation Modulate(double? brightness = null, double? saturation = null, int? hue = null) =>
        new Args().Add("b", brightness).Add("s", saturation).Add("h", hue).Build(Plugin, "modulate", new Args().Add("b", 1).Add("s", 1).Add("h", 90));

    /// <summary><c>t.grey()</c>.</summary>
    /// <returns>The operation.</returns>
    public static Transformation Grey() => Transformation.Custom(Plugin, "grey");

    /// <summary><c>t.tint</c>; key c.</summary>
    /// <param name="color">Tint colour.</param>
    /// <returns>The operation.</returns>
    public static Transformation Tint(string? color = null) =>
        new Args().Add("c", color).Build(Plugin, "tint", new Args().Add("c", "000000"));

    /// <summary><c>t.toFormat</c>; keys f, q.</summary>
    /// <param name="format"><c>jpeg</c>, <c>png</c>, <c>webp</c>, <c>tiff</c>, <c>avif</c>, <c>bmp</c> or <c>heif</c>.</param>
    /// <param name="quality">A number (<c>100</c>…<c>10</c>) or <c>best</c>, <c>good</c>, <c>eco</c>, <c>low</c>.</param>
    /// <returns>The operation.</returns>
    public static Transformation ToFormat(string? format = null, string? quality = null) =>
        new Args().Add("f", format).Add("q", quality).Build(Plugin, "toFormat", new Args().Add("f", "jpeg").Add("q", "75"));

    /// <summary><c>t.density</c>; key d.</summary>
    /// <param name="density">DPI written to the output's metadata.</param>
    /// <returns>The operation.</returns>
    public static Transformation Density(int? density = null) =>
        new Args().Add("d", density).Build(Plugin, "density", new Args().Add("d", 300));

    /// <summary><c>t.merge</c>; keys m, i, tr, bg, h, w, t, l, g, b, r, bboxes, polys.</summary>
    /// <param name="mode"><c>overlay</c>, <c>underlay</c> or <c>wrap</c>.</param>
    /// <param name="image">base64 of the fileId of the image to composite.</param>
    /// <param name="transformation">Transformation applied to the merged image (encoding unspecified, passed as is).</param>
    /// <param name="background">Plain colour to merge instead of an image.</param>
    /// <param name="height">Height of the background box.</param>
    /// <param name="width">Width of the background box.</param>
    /// <param name="top">Top of the background box.</param>
    /// <param name="left">Left of the background box.</param>
    /// <param name="gravity"><c>northwest</c>, <c>north</c>, <c>northeast</c>, <c>east</c>, <c>center</c>, <c>west</c>, <c>southwest</c>, <c>south</c>, <c>southeast</c> or <c>custom</c>.</param>
    /// <param name="blend">sharp blend mode, e.g. <c>over</c>, <c>screen</c>, <c>dest-over</c>.</param>
    /// <param name="tile">Repeat the overlay across the image.</param>
    /// <param name="listOfBboxes">Regions for <c>wrap</c>, e.g. <c>[[10_10_100_100]_[200_20_100_100]]</c>.</param>
    /// <param name="listOfPolygons">Polygons for <c>wrap</c>.</param>
    /// <returns>The operation.</returns>
    public static Transformation Merge(string? mode = null, string? image = null, string? transformation = null, string? background = null, int? height = null, int? width = null, int? top = null, int? left = null, string? gravity = null, string? blend = null, bool? tile = null, string? listOfBboxes = null, string? listOfPolygons = null) =>
        new Args().Add("m", mode).Add("i", image).Add("tr", transformation).Add("bg", background).Add("h", height).Add("w", width).Add("t", top).Add("l", left)
            .Add("g", gravity).Add("b", blend).Add("r", tile).Add("bboxes", listOfBboxes).Add("polys", listOfPolygons)
            .Build(Plugin, "merge", new Args().Add("m", "overlay").Add("bg", "00000000").Add("h", 0).Add("w", 0).Add("t", 0).Add("l", 0).Add("g", "center").Add("b", "over").Add("r", false));
}
