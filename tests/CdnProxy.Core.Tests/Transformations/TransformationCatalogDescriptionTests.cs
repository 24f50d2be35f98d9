using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Core.Tests.Transformations;

/// <summary>
/// The machine-readable catalogue (<see cref="TransformationCatalog.Describe"/>) against the binders and the reference:
/// an operation or argument that binding accepts but the catalogue lacks, or a range or choice the catalogue gets
/// wrong, fails here.
/// </summary>
public sealed partial class TransformationCatalogDescriptionTests
{
    private static readonly TransformationCatalog Catalog = TransformationCatalog.Default;

    public static TheoryData<string> Operations => [.. Catalog.Names];

    [Fact]
    public void Describe_ListsEveryRegisteredOperation_InNameOrder()
    {
        Assert.Equal(Catalog.Names, Catalog.Describe().Select(o => o.Name));
    }

    [Fact]
    public void Describe_MatchesTheOperationsReference_OperationByOperation_ArgumentByArgument()
    {
        var documented = DocumentedArguments();

        Assert.Equal(documented.Keys.Order(StringComparer.Ordinal), Catalog.Describe().Select(o => o.Name));
        Assert.All(Catalog.Describe(), operation =>
            Assert.Equal(documented[operation.Name].Order(StringComparer.Ordinal), operation.Arguments.Select(a => a.Key).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Describe_Resize_HasTypesRangesChoicesAndDefaults()
    {
        var resize = Catalog.Describe().Single(o => o.Name == "t.resize");

        Assert.Equal(["h", "w", "f", "b", "p", "k", "dpr"], resize.Arguments.Select(a => a.Key));
        Assert.Equal(new ArgumentDescription("w", ArgumentKind.Whole) { Default = "0", Min = 0, Max = 100_000 }, resize.Arguments[1]);
        var fit = resize.Arguments[2];
        Assert.Equal((ArgumentKind.Choice, "cover"), (fit.Kind, fit.Default));
        Assert.Equal(["cover", "contain", "fill", "inside", "outside"], fit.Choices);
        Assert.Equal((ArgumentKind.Colour, "000000"), (resize.Arguments[3].Kind, resize.Arguments[3].Default));
        Assert.Equal((0.1, 5.0, "1"), (resize.Arguments[6].Min, resize.Arguments[6].Max, resize.Arguments[6].Default));
        Assert.Equal("t.resize(b:000000,dpr:1,f:cover,h:0,k:lanczos3,p:center,w:0)", resize.Canonical);
        Assert.False(resize.SetsOutput);
    }

    [Fact]
    public void Describe_ToFormat_NamesAliasesAndQualityWords_AndSetsOutput()
    {
        var toFormat = Catalog.Describe().Single(o => o.Name == "t.toFormat");

        Assert.True(toFormat.SetsOutput);
        Assert.Equal("jpeg", toFormat.Arguments[0].Aliases!["jpg"]);
        Assert.DoesNotContain("jpg", toFormat.Arguments[0].Choices!);
        Assert.Equal(90, toFormat.Arguments[1].Words!["best"]);
        Assert.True(Catalog.Describe().Single(o => o.Name == "t.merge").ReferencesFiles);
        Assert.Equal(360, Catalog.Describe().Single(o => o.Name == "t.rotate").Arguments[0].Modulo);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void EveryDescribedValue_Binds_AndLandsInTheCanonicalForm(string name)
    {
        var operation = Catalog.Describe().Single(o => o.Name == name);
        Assert.Equal(Catalog.Bind(Call(name + "()")).Canonical, operation.Canonical);

        foreach (var argument in operation.Arguments)
        {
            foreach (var (value, canonical) in AcceptedSamples(argument))
            {
                var bound = Bind(name, argument.Key, value);
                Assert.True(bound.Canonical is not null, $"{name}({argument.Key}:{value}) was refused: {bound.Error}");
                Assert.Contains(argument.Key + ":" + canonical, bound.Canonical, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void ValuesOutsideTheDescription_AreRefusedNamingTheArgument(string name)
    {
        foreach (var argument in Catalog.Describe().Single(o => o.Name == name).Arguments)
        {
            foreach (var value in RefusedSamples(argument))
            {
                var bound = Bind(name, argument.Key, value);
                Assert.True(bound.Error is not null, $"{name}({argument.Key}:{value}) was accepted, outside its description");
                Assert.Contains($"'{argument.Key}'", bound.Error, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void NoKeyOutsideTheDescription_IsAccepted_AloneOrBesideAnyDescribedValue(string name)
    {
        var operation = Catalog.Describe().Single(o => o.Name == name);
        var described = operation.Arguments.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var candidates = Enumerable.Range('a', 26).Select(c => ((char)c).ToString())
            .Concat(Catalog.Describe().SelectMany(o => o.Arguments).Select(a => a.Key))
            .Concat(["q", "dpr", "bg", "bbox", "bboxes", "polys", "tr", "i", "bc", "bt", "mode", "width", "height"])
            .Where(key => !described.Contains(key))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // A binder that read a key only for some value of another (say, only with m:wrap) would hide it from the
        // catalogue, which runs the binder on defaults: so every candidate is also tried beside every described value.
        var contexts = operation.Arguments
            .SelectMany(a => AcceptedSamples(a).Select(sample => $"{a.Key}:{sample.Value},"))
            .Prepend(string.Empty);

        foreach (var context in contexts)
        {
            foreach (var key in candidates)
            {
                var bound = Bind(name, context + key, "1");
                Assert.True(
                    bound.Error?.Contains($"unknown argument '{key}'", StringComparison.Ordinal) == true,
                    $"{name}({context}{key}:1) accepts '{key}', which its description lacks ({bound.Error ?? bound.Canonical})");
            }
        }
    }

    /// <summary>Values each argument's description says are accepted, with their canonical text.</summary>
    private static IEnumerable<(string Value, string Canonical)> AcceptedSamples(ArgumentDescription argument)
    {
        switch (argument.Kind)
        {
            case ArgumentKind.Whole when argument.Modulo is { } modulo:
                yield return (Number(argument.Min!.Value), Number(((argument.Min!.Value % modulo) + modulo) % modulo));
                yield return (Number(argument.Max!.Value), Number(argument.Max!.Value % modulo));
                break;
            case ArgumentKind.Whole or ArgumentKind.Number or ArgumentKind.Quality:
                yield return (Number(argument.Min!.Value), Number(argument.Min!.Value));
                yield return (Number(argument.Max!.Value), Number(argument.Max!.Value));
                foreach (var (word, value) in argument.Words ?? new Dictionary<string, int>())
                {
                    yield return (word, Number(value));
                }

                break;
            case ArgumentKind.Choice or ArgumentKind.Boolean:
                foreach (var choice in argument.Choices!)
                {
                    yield return (choice, choice);
                }

                foreach (var (alias, canonical) in argument.Aliases ?? new Dictionary<string, string>())
                {
                    yield return (alias, canonical);
                }

                break;
            case ArgumentKind.Colour:
                yield return ("FF000080", "ff000080");
                break;
            case ArgumentKind.BoundingBox:
                yield return ("1_2_30_40", "1_2_30_40");
                break;
            case ArgumentKind.FileId:
                yield return (Base64("logo.png"), Base64("logo.png"));
                break;
            case ArgumentKind.Pattern:
                yield return (Base64("t.flip()"), Base64("t.flip()"));
                break;
            default:
                // Lists of boxes and polygons are only valid with other arguments (m:wrap): bound in the merge tests.
                break;
        }
    }

    /// <summary>Values just outside each argument's description.</summary>
    private static IEnumerable<string> RefusedSamples(ArgumentDescription argument) => argument.Kind switch
    {
        ArgumentKind.Whole or ArgumentKind.Quality => [Number(argument.Min!.Value - 1), Number(argument.Max!.Value + 1), "x"],
        ArgumentKind.Number => [Number(argument.Min!.Value - 0.01), Number(argument.Max!.Value + 0.01), "x"],
        ArgumentKind.Choice or ArgumentKind.Boolean => ["no-such-token"],
        ArgumentKind.Colour => ["12345", "gg0000"],
        _ => ["!"],
    };

    private static (string? Canonical, string? Error) Bind(string name, string key, string value)
    {
        try
        {
            return (Catalog.Bind(Call($"{name}({key}:{value})")).Canonical, null);
        }
        catch (CdnException e)
        {
            return (null, e.Message);
        }
    }

    private static TransformationCall Call(string pattern) => PatternGrammar.Parse(pattern).Calls.Single();

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Base64(string text) => ValueGrammar.EncodeBase64Url(Encoding.UTF8.GetBytes(text));

    /// <summary>The operations table of docs/operations.md: operation → the keys its arguments cell names.</summary>
    private static Dictionary<string, List<string>> DocumentedArguments()
    {
        var operations = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(TestImages.RepositoryRoot, "docs", "operations.md")))
        {
            if (OperationRow().Match(line) is { Success: true } row)
            {
                operations[row.Groups["name"].Value] = row.Groups["arguments"].Value.Trim() == "—"
                    ? []
                    : [.. ArgumentKey().Matches(row.Groups["arguments"].Value).Select(m => m.Groups[1].Value)];
            }
        }

        return operations;
    }

    [GeneratedRegex(@"^\| `(?<name>(?:t|filter|enhance)\.\w+)` \| (?<arguments>[^|]*(?:\\\|[^|]*)*) \|")]
    private static partial Regex OperationRow();

    // An argument starts the cell or follows ", ": `key` then its range, choices or kind.
    [GeneratedRegex(@"(?:^|, )`(\w+)`")]
    private static partial Regex ArgumentKey();
}
