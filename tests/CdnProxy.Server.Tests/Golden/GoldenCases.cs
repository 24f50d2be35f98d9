using System.Text.Json;
using System.Text.RegularExpressions;
using CdnProxy.Tests.Common;

namespace CdnProxy.Server.Tests.Golden;

/// <summary>
/// One row of tests/golden/cases.json: an input, a Pixelbin pattern and its tolerance class. <see cref="MinPsnr"/>
/// overrides the class threshold and needs a <see cref="Why"/>.
/// </summary>
public sealed record GoldenCase(string Name, string Input, string Pattern, string Class, double? Dpr, double? MinPsnr, string? Why);

/// <summary>What sharp produced for a case (tests/golden/refs/manifest.json).</summary>
public sealed record GoldenReference(string Format, int Width, int Height, bool HasAlpha, double? Density);

/// <summary>The golden table and sharp's references, read once from tests/golden/.</summary>
public static partial class GoldenCases
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<Table> Loaded = new(Load);

    public static string Folder => Path.Combine(TestImages.RepositoryRoot, "tests", "golden");

    /// <summary>Every case of the table: all 21 operations exist, so none is skipped (an unknown one fails with 400).</summary>
    public static TheoryData<string> All => Names(_ => true);

    public static GoldenCase Case(string name) => Loaded.Value.Cases.Single(c => c.Name == name);

    public static GoldenReference Reference(string name) =>
        Loaded.Value.References.TryGetValue(name, out var reference)
            ? reference
            : throw new InvalidOperationException($"No reference for '{name}': run scripts/golden/render-references.mjs");

    public static string ReferenceImage(string name) => Path.Combine(Folder, "refs", name + ".png");

    /// <summary>The minimum PSNR in dB for the case's tolerance class.</summary>
    public static double Threshold(GoldenCase golden)
    {
        ArgumentNullException.ThrowIfNull(golden);
        if (golden.MinPsnr is { } own)
        {
            return string.IsNullOrWhiteSpace(golden.Why)
                ? throw new InvalidOperationException($"Case '{golden.Name}' lowers its threshold without saying why")
                : own;
        }

        return Loaded.Value.Classes[golden.Class];
    }

    /// <summary>The operations a case's pattern names (nested <c>tr</c> patterns are base64 and not read).</summary>
    public static IEnumerable<string> Operations(GoldenCase golden)
    {
        ArgumentNullException.ThrowIfNull(golden);
        return OperationName().Matches(golden.Pattern).Select(m => m.Groups[1].Value).Distinct();
    }

    /// <summary>Every case of the table.</summary>
    public static IReadOnlyList<GoldenCase> Cases => Loaded.Value.Cases;

    private static TheoryData<string> Names(Func<GoldenCase, bool> keep) => new(Loaded.Value.Cases.Where(keep).Select(c => c.Name));

    private static Table Load()
    {
        var table = JsonSerializer.Deserialize<CasesFile>(File.ReadAllText(Path.Combine(Folder, "cases.json")), Json)
            ?? throw new InvalidOperationException("tests/golden/cases.json is empty");
        var manifest = JsonSerializer.Deserialize<ManifestFile>(File.ReadAllText(Path.Combine(Folder, "refs", "manifest.json")), Json)
            ?? throw new InvalidOperationException("tests/golden/refs/manifest.json is empty");
        return new Table(table.Cases, table.Classes, manifest.Cases);
    }

    [GeneratedRegex(@"(?:^|~)(t\.\w+)\(")]
    private static partial Regex OperationName();

    private sealed record Table(IReadOnlyList<GoldenCase> Cases, IReadOnlyDictionary<string, double> Classes, IReadOnlyDictionary<string, GoldenReference> References);

    private sealed record CasesFile(List<GoldenCase> Cases, Dictionary<string, double> Classes);

    private sealed record ManifestFile(Dictionary<string, GoldenReference> Cases);
}
