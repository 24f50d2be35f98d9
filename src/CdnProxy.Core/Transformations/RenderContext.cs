namespace CdnProxy.Core.Transformations;

/// <summary>Per-render state handed to every step.</summary>
public sealed class RenderContext
{
    public RenderContext(RenderLimits limits, double dpr)
    {
        Limits = limits;
        Dpr = dpr;
    }

    public RenderLimits Limits { get; }

    /// <summary>Device pixel ratio from the request (query <c>dpr</c>), multiplied into sizes by the steps that honour it.</summary>
    public double Dpr { get; }

    /// <summary>The files the plan references (merge images), fetched with the original.</summary>
    public ReferencedFiles Files { get; init; } = ReferencedFiles.None;

    /// <summary>This context with <paramref name="files"/> as its referenced files.</summary>
    public RenderContext WithFiles(ReferencedFiles files) => new(Limits, Dpr) { Files = files };
}
