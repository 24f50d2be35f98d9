using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CdnProxy.Vips;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace CdnProxy.Bench;

/// <summary>
/// Runs the micro-benchmarks (<see cref="RequestBenchmarks"/>) with a short job sized for a small, noisy machine, and
/// writes <c>micro-summary.tsv</c> (benchmark, mean ns, median ns, stddev ns, allocated bytes per operation) next to
/// BenchmarkDotNet's own reports. With <c>operations</c> as the first argument, runs
/// <see cref="OperationCostBenchmarks"/> instead, with a job for renders of 10–1000 ms, and writes
/// <c>operations-summary.tsv</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Length > 0 && args[0] == "operations" ? RunOperations(args[1..]) : RunMicro(args);
    }

    private static int RunMicro(string[] args)
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

        // Only the request micro-benchmarks: the render costs are minutes, not seconds, and have their own job.
        var summaries = BenchmarkSwitcher.FromTypes([typeof(RequestBenchmarks)]).Run(args, config).ToList();
        foreach (var summary in summaries)
        {
            WriteTsv(summary, "micro-summary.tsv", extraHeader: null);
        }

        return Succeeded(summaries);
    }

    private static int RunOperations(string[] args)
    {
        // One render is one invocation (10 ms to about a second), so no unrolling and no iteration-time target:
        // 2 warm-ups, then 7 measured single renders per case, in-process.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(7)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithId("render");
        var config = DefaultConfig.Instance
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);

        var vips = VipsRuntime.Initialize(new VipsSettings());
        var summaries = BenchmarkSwitcher.FromTypes([typeof(OperationCostBenchmarks)]).Run(args, config).ToList();
        foreach (var summary in summaries)
        {
            WriteTsv(summary, "operations-summary.tsv", $"# libvips\t{vips.Version}\t{vips.Source}\t{vips.LibraryPath}\t{vips.Concurrency}");
        }

        return Succeeded(summaries);
    }

    private static int Succeeded(List<Summary> summaries) =>
        summaries.Count > 0 && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;

    private static void WriteTsv(Summary summary, string fileName, string? extraHeader)
    {
        var path = Path.Combine(summary.ResultsDirectoryPath, fileName);
        using var writer = new StreamWriter(path);
        writer.WriteLine($"# runtime\t{RuntimeInformation.FrameworkDescription}\t{RuntimeInformation.RuntimeIdentifier}");
        writer.WriteLine($"# benchmarkdotnet\t{typeof(BenchmarkRunner).Assembly.GetName().Version?.ToString(3)}");
        if (extraHeader is not null)
        {
            writer.WriteLine(extraHeader);
        }

        writer.WriteLine("# benchmark\tmean_ns\tmedian_ns\tstddev_ns\tallocated_bytes\titerations");
        foreach (var report in summary.Reports)
        {
            var stats = report.ResultStatistics;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            writer.WriteLine(string.Join(
                '\t',
                Name(report.BenchmarkCase),
                Format(stats?.Mean),
                Format(stats?.Median),
                Format(stats?.StandardDeviation),
                allocated?.ToString(CultureInfo.InvariantCulture) ?? "?",
                stats?.N.ToString(CultureInfo.InvariantCulture) ?? "0"));
        }

        Console.WriteLine($"// summary: {path}");
    }

    /// <summary>The method name, or the parameter values of a parameterised benchmark (e.g. an operation case).</summary>
    private static string Name(BenchmarkCase benchmark) =>
        benchmark.HasParameters
            ? string.Join(", ", benchmark.Parameters.Items.Select(p => p.Value?.ToString()))
            : benchmark.Descriptor.WorkloadMethod.Name;

    private static string Format(double? nanoseconds) =>
        nanoseconds?.ToString("F1", CultureInfo.InvariantCulture) ?? "?";
}
