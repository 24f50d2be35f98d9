namespace CdnProxy.Urls.Client.Predictions;

/// <summary>
/// How <see cref="Predictions.WaitAsync"/> polls, with the Pixelbin SDK's defaults and bounds: a GET every
/// <see cref="RetryInterval"/> (1–60 s, default 4 s), the interval multiplied by <see cref="RetryFactor"/> (1–3,
/// default 1) after each poll, at most <see cref="MaxAttempts"/> polls (1–150, default 150: 10 minutes at the
/// defaults). Values outside the bounds are clamped to them, as the seed SDK does.
/// </summary>
public sealed record PredictionWaitOptions
{
    /// <summary>The wait after the first poll.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Most polls (GETs) before giving up.</summary>
    public int MaxAttempts { get; init; } = 150;

    /// <summary>Each wait is the previous one times this (1 = a fixed interval).</summary>
    public double RetryFactor { get; init; } = 1;

    internal TimeSpan ClampedInterval => TimeSpan.FromSeconds(Math.Clamp(RetryInterval.TotalSeconds, 1, 60));

    internal int ClampedAttempts => Math.Clamp(MaxAttempts, 1, 150);

    internal double ClampedFactor => double.IsNaN(RetryFactor) ? 1 : Math.Clamp(RetryFactor, 1, 3);
}
