using CdnProxy.Core.Transformations.Faces;

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

    /// <summary>
    /// The render's deadline: steps that open images of their own (merge images) watch them with it, so the
    /// deadline stops work on those too. None in tests that run steps alone.
    /// </summary>
    public RenderDeadline? Deadline { get; init; }

    /// <summary>Finds faces for <c>p:face</c>; given by the renderer (none in tests that run steps alone).</summary>
    public IFaceDetector Faces { get; init; } = NoFaceDetector.Instance;

    /// <summary>Frames of the output: 1, or an animation's frame count (the limits hold for all frames together).</summary>
    public int Frames { get; init; } = 1;

    /// <summary>This context with <paramref name="files"/> as its referenced files.</summary>
    public RenderContext WithFiles(ReferencedFiles files) => new(Limits, Dpr) { Files = files, Deadline = Deadline, Frames = Frames, Faces = Faces };

    /// <summary>This context with <paramref name="frames"/> as the frames the output keeps.</summary>
    public RenderContext WithFrames(int frames) => new(Limits, Dpr) { Files = Files, Deadline = Deadline, Frames = frames, Faces = Faces };

    /// <summary>This context for one render: its deadline and the frames its output keeps.</summary>
    public RenderContext ForRender(RenderDeadline deadline, int frames, IFaceDetector faces) =>
        new(Limits, Dpr) { Files = Files, Deadline = deadline, Frames = frames, Faces = faces };
}
