namespace CdnProxy.Core.Transformations.Basic;

/// <summary>
/// <c>t.compress(q)</c>: re-encodes in the current output format at quality <c>q</c>: 0–100 (0 encodes as 1, the
/// lowest libvips accepts) or, as in <c>t.toFormat</c>, best/good/eco/low.
/// </summary>
public sealed record Compress(int Quality) : ITransformation<Compress>, IStripSafe, IOutputTransformation
{
    public static string Name => "t.compress";

    public static Compress Bind(ArgumentReader args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new Compress(args.Quality("q", 80, QualityWords.All, minimum: 0));
    }

    public OutputSettings Apply(OutputSettings current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with { Quality = Quality };
    }

    public VipsImage Apply(VipsImage image, RenderContext context) => image;
}
