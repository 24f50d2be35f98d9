using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace CdnProxy.Bench;

/// <summary>
/// Runs the micro-benchmarks with a short job sized for a small, noisy machine, and writes <c>micro-summary.tsv</c>
/// (benchmark, mean ns, median ns, stddev ns, allocated bytes per operation) next to BenchmarkDotNet's own reports.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // In-process: no generated project to build per benchmark, so the whole run takes about a minute. Short
        // iterations, more of them, so a noisy neighbour spoils a few iterations rather than the mean.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(200))
            .WithId("short");
        var config = DefaultConfig.Instance
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToList();
        foreach (var summary in summaries)
        {
            WriteTsv(summary);
        }

        return summaries.Count > 0 && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;
    }

    private static void WriteTsv(Summary summary)
    {
        var path = Path.Combine(summary.ResultsDirectoryPath, "micro-summary.tsv");
        using var writer = new StreamWriter(path);
        writer.WriteLine($"# runtime\t{RuntimeInformation.FrameworkDescription}\t{RuntimeInformation.RuntimeIdentifier}");
        writer.WriteLine($"# benchmarkdotnet\t{typeof(BenchmarkRunner).Assembly.GetName().Version?.ToString(3)}");
        writer.WriteLine("# benchmark\tmean_ns\tmedian_ns\tstddev_ns\tallocated_bytes\titerations");
        foreach (var report in summary.Reports)
        {
            var stats = report.ResultStatistics;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            writer.WriteLine(string.Join(
                '\t',
                report.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                Format(stats?.Mean),
                Format(stats?.Median),
                Format(stats?.StandardDeviation),
                allocated?.ToString(CultureInfo.InvariantCulture) ?? "?",
                stats?.N.ToString(CultureInfo.InvariantCulture) ?? "0"));
        }

        Console.WriteLine($"// micro-summary: {path}");
    }

    private static string Format(double? nanoseconds) =>
        nanoseconds?.ToString("F1", CultureInfo.InvariantCulture) ?? "?";
}
