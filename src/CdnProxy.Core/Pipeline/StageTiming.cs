namespace CdnProxy.Core.Pipeline;

/// <summary>The time one pipeline stage took.</summary>
/// <param name="Stage">fetch, render, encode or cache.</param>
/// <param name="Duration">Elapsed time.</param>
public sealed record StageTiming(string Stage, TimeSpan Duration)
{
    /// <summary>A short note for <c>Server-Timing</c>'s <c>desc</c> (e.g. the size an analysis decoded at), or null.</summary>
    public string? Description { get; init; }
}
