
namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.toFormat(f,q)</c>: sets the output format and quality. <c>q</c> is 1–100 or one of the words
/// best (90), good (80), eco (65), low (50); what it means per format is in docs/formats.md. <c>heif</c> is
/// refused by the plan binder when the engine cannot encode it (its encoder capabilities are probed at start-up).
/// </summary>
public sealed record ToFormat(OutputFormat Format, int Quality) : ITransformation<ToFormat>, IStripSafe, IOutputTransformation
{
    private static readonly EnumArgument<OutputFormat> Formats = new(
        ("jpeg", OutputFormat.Jpeg), ("jpg", OutputFormat.Jpeg), ("png", OutputFormat.Png), ("webp", OutputFormat.Webp),
        ("avif", OutputFormat.Avif), ("heif", OutputFormat.Heif), ("gif", OutputFormat.Gif), ("tiff", OutputFormat.Tiff),
        ("bmp", OutputFormat.Bmp));

    public static string Name => "t.toFormat";

    public static ToFormat Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var format = args.Choice("f", OutputFormat.Jpeg, Formats);
        return new ToFormat(format, args.Quality("q", 75, QualityWords.All));
    }

    public OutputSettings Apply(OutputSettings current) => new(Format, Quality);

    public VipsImage Apply(VipsImage image, RenderContext context) => image;
}
