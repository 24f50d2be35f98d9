namespace CdnProxy.Core.Pipeline;

/// <summary>The time one pipeline stage took.</summary>
/// <param name="Stage">fetch, render, encode or cache.</param>
/// <param name="Duration">Elapsed time.</param>
public sealed record StageTiming(string Stage, TimeSpan Duration);
