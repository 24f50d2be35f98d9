namespace CdnProxy.Core.Transformations;

/// <summary>The size a first resize step will make of the upright source; decoding may shrink towards it.</summary>
/// <param name="Width">The width after the step's resample.</param>
/// <param name="Height">The height after the step's resample.</param>
public sealed record LoadTarget(int Width, int Height);
