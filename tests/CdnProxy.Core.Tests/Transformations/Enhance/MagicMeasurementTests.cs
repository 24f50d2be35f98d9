namespace CdnProxy.Core.Tests.Transformations.Enhance;

/// <summary>
/// Magic's bounds from issue 13: it improves the average PSNR of every degradation kind, and a clean photo comes
/// out at least 34 dB from itself (nearly untouched; its "before" is identical, so a 1 dB loss cannot be read literally). Set ENHANCE_REPORT to a file to write the tables
/// (scripts/enhance-measure.sh puts them into docs/enhance.md).
/// </summary>
public class MagicMeasurementTests
{
    private static readonly Lazy<IReadOnlyList<MagicMeasurement.Row>> Rows = new(MagicMeasurement.Measure);

    [Fact]
    public void EveryDegradationKind_ImprovesOnAverage()
    {
        foreach (var kind in Rows.Value.Where(r => r.Kind != "clean").GroupBy(r => r.Kind))
        {
            var before = kind.Average(r => r.Before.Psnr);
            var after = kind.Average(r => r.After.Psnr);
            Assert.True(after > before + 1, $"{kind.Key}: PSNR {before:F2} → {after:F2}");
        }
    }

    [Fact]
    public void CleanPhotos_AreNearlyUntouched()
    {
        Assert.All(Rows.Value.Where(r => r.Kind == "clean"), row =>
            Assert.True(row.After.Psnr >= 34, $"{row.Photo}: {row.After.Psnr:F2} dB from the clean original"));
    }

    [Fact]
    public void Report_IsWrittenWhenAsked()
    {
        var report = MagicMeasurement.Report(Rows.Value);
        Assert.Contains("| SlightBlur |", report, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("ENHANCE_REPORT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, report);
        }
    }
}
