using System.Globalization;
using System.Text;
using CdnProxy.Urls;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Core.Transformations;

/// <summary>
/// Typed, range-checked reads of one call's arguments. It records every key read with its normalised value,
/// so the canonical form (sorted keys, defaults filled) comes for free, and it detects unknown keys. In its
/// describing mode (<see cref="Describing"/>) it also records what each read accepts, so the catalogue that clients
/// and the playground read is made by the binders themselves.
/// </summary>
public sealed class ArgumentReader
{
    private const int MaxEchoedValueLength = 32;

    /// <summary>How deep nested patterns (<c>tr:</c>) may go: a nested pattern may not hold another one.</summary>
    private const int MaxNestingDepth = 1;

    private readonly TransformationCatalog? _catalog;
    private readonly int _depth;

    private readonly Dictionary<string, string> _given;
    private readonly SortedDictionary<string, string> _canonical = new(StringComparer.Ordinal);

    /// <summary>What each read accepts, in read order; null unless describing.</summary>
    private readonly List<ArgumentDescription>? _described;

    public ArgumentReader(TransformationCall call)
        : this(call, catalog: null, depth: 0)
    {
    }

    /// <summary>A reader that binds nested patterns through <paramref name="catalog"/>, at nesting level <paramref name="depth"/>.</summary>
    internal ArgumentReader(TransformationCall call, TransformationCatalog? catalog, int depth)
    {
        ArgumentNullException.ThrowIfNull(call);
        Operation = call.QualifiedName;
        _catalog = catalog;
        _depth = depth;

        // Duplicate keys: the last one wins, as in Pixelbin's SDK parsers.
        _given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in call.Arguments)
        {
            _given[argument.Key] = argument.Value;
        }
    }

    private ArgumentReader(string operation)
    {
        Operation = operation;
        _given = new Dictionary<string, string>(StringComparer.Ordinal);
        _described = [];
    }

    /// <summary>The operation being bound, e.g. <c>t.resize</c>.</summary>
    public string Operation { get; }

    /// <summary>
    /// A reader for a call of <paramref name="operation"/> without arguments that also records what every read
    /// accepts; after the binder ran, <see cref="Descriptions"/> lists them.
    /// </summary>
    internal static ArgumentReader Describing(string operation) => new(operation);

    /// <summary>What the binder read, in order, each with its default in canonical form (describing mode only).</summary>
    internal IReadOnlyList<ArgumentDescription> Descriptions() =>
        _described?.Select(d => _canonical.TryGetValue(d.Key, out var value) ? d with { Default = value } : d).ToList()
        ?? throw new InvalidOperationException("This reader binds; it does not describe.");

    public int Whole(string key, int defaultValue, int min, int max)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Whole) { Min = min, Max = max });
        return ReadWhole(key, defaultValue, min, max);
    }

    /// <summary>
    /// A whole number read like <see cref="Whole"/>, then reduced modulo <paramref name="modulus"/> into
    /// [0, modulus); the canonical form is the reduced value, so <c>450</c> and <c>90</c> share one canonical.
    /// </summary>
    public int WholeModulo(string key, int defaultValue, int min, int max, int modulus)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modulus);
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Whole) { Min = min, Max = max, Modulo = modulus });
        var value = ((ReadWhole(key, defaultValue, min, max) % modulus) + modulus) % modulus;
        return Record(key, value, value.ToString(CultureInfo.InvariantCulture));
    }

    private int ReadWhole(string key, int defaultValue, int min, int max)
    {
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text) && !ArgumentText.TryWhole(text, min, max, out value))
        {
            throw Invalid(key, text, string.Create(CultureInfo.InvariantCulture, $"an integer from {min} to {max}"));
        }

        return Record(key, value, value.ToString(CultureInfo.InvariantCulture));
    }

    public double Real(string key, double defaultValue, double min, double max)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Number) { Min = min, Max = max });
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text) && !ArgumentText.TryReal(text, min, max, out value))
        {
            throw Invalid(key, text, string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}"));
        }

        return Record(key, value, FormatNumber(value));
    }

    public bool Flag(string key, bool defaultValue)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Boolean) { Choices = ["true", "false"] });
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text) && !ArgumentText.TryFlag(text, out value))
        {
            throw Invalid(key, text, "true or false");
        }

        return Record(key, value, value ? "true" : "false");
    }

    public T Choice<T>(string key, T defaultValue, EnumArgument<T> tokens)
        where T : struct, System.Enum
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Choice) { Choices = tokens.Tokens, Aliases = tokens.Aliases.Count > 0 ? tokens.Aliases : null });
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text) && !tokens.TryParse(text, out value))
        {
            throw Invalid(key, text, "one of " + tokens.Description);
        }

        return Record(key, value, tokens.Format(value));
    }

    public Rgba Color(string key, Rgba defaultValue)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Colour));
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text))
        {
            value = Rgba.TryParse(text) ?? throw Invalid(key, text, "a colour RRGGBB or RRGGBBAA");
        }

        return Record(key, value, value.ToString());
    }

    /// <summary>A quality <paramref name="minimum"/>–100, also accepting named levels (the canonical form is the number).</summary>
    public int Quality(string key, int defaultValue, IReadOnlyDictionary<string, int> words, int minimum = 1)
    {
        ArgumentNullException.ThrowIfNull(words);
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Quality) { Min = minimum, Max = 100, Words = words });
        var value = defaultValue;
        if (_given.TryGetValue(key, out var text) && !ArgumentText.TryQuality(text, words, minimum, out value))
        {
            throw Invalid(key, text, $"a quality from {minimum} to 100 or one of " + string.Join(", ", words.Keys));
        }

        return Record(key, value, value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>An optional bounding box <c>top_left_height_width</c>; null when absent (nothing is recorded then).</summary>
    public BoundingBox? Bbox(string key)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.BoundingBox));
        if (!_given.TryGetValue(key, out var text))
        {
            return null;
        }

        return ValueGrammar.TryParseBbox(text, out var value)
            ? Record(key, value, value.ToString())
            : throw Invalid(key, text, "a bounding box top_left_height_width (height and width not negative)");
    }

    /// <summary>An optional list of bounding boxes <c>[[t_l_h_w]_...]</c>; null when absent.</summary>
    public IReadOnlyList<BoundingBox>? BboxList(string key)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.BoundingBoxList));
        if (!_given.TryGetValue(key, out var text))
        {
            return null;
        }

        return ValueGrammar.TryParseBboxList(text, out var value)
            ? Record(key, value, ValueGrammar.FormatBboxList(value))
            : throw Invalid(key, text, "a list of bounding boxes [[top_left_height_width]_...]");
    }

    /// <summary>An optional list of polygons <c>[[[x_y]_[x_y]_[x_y]...]_...]</c>; null when absent.</summary>
    public IReadOnlyList<IReadOnlyList<PolygonPoint>>? PolygonList(string key)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.PolygonList));
        if (!_given.TryGetValue(key, out var text))
        {
            return null;
        }

        return ValueGrammar.TryParsePolygonList(text, out var value)
            ? Record(key, value, ValueGrammar.FormatPolygonList(value))
            : throw Invalid(key, text, "a list of polygons [[[x_y]_[x_y]_[x_y]...]_...]");
    }

    /// <summary>
    /// An optional base64 file id (either alphabet, padding optional); null when absent. The decoded id must pass the
    /// same check as a request's file path. The canonical form is the URL-safe, unpadded base64 of the id, so every
    /// spelling of one id shares a canonical.
    /// </summary>
    public string? FileId(string key)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.FileId));
        if (!_given.TryGetValue(key, out var text))
        {
            return null;
        }

        var fileId = Decode(key, text, "a base64 file id", value => ValidFilePath(ValueGrammar.DecodeFileId(value)));
        return Record(key, fileId, ValueGrammar.EncodeBase64Url(Encoding.UTF8.GetBytes(fileId)));
    }

    /// <summary>
    /// An optional base64 nested pattern (one level deep, no presets); null when absent. The canonical form is the
    /// URL-safe, unpadded base64 of the pattern text.
    /// </summary>
    public PatternSyntax? NestedPattern(string key)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Pattern));
        if (!_given.TryGetValue(key, out var text))
        {
            return null;
        }

        var (pattern, syntax) = Decode(key, text, "a base64 pattern", ValueGrammar.ReadNestedPattern);
        return Record(key, syntax, ValueGrammar.EncodeBase64Url(Encoding.UTF8.GetBytes(pattern)));
    }

    /// <summary>
    /// An optional base64 nested pattern bound step by step through the same catalog as this call; null when absent.
    /// Nesting is limited to <see cref="MaxNestingDepth"/> level, and output steps (format, quality) are refused
    /// because only the outer plan is encoded. The canonical form is the URL-safe, unpadded base64 of the nested
    /// steps' canonical text, so equivalent nested patterns share a canonical.
    /// </summary>
    public IReadOnlyList<ITransformation>? NestedSteps(string key)
    {
        _described?.Add(new ArgumentDescription(key, ArgumentKind.Pattern));
        if (!_given.TryGetValue(key, out var text))
        {
            return null;
        }

        if (_catalog is null || _depth >= MaxNestingDepth)
        {
            throw Invalid(key, text, "absent here: nested patterns go one level deep");
        }

        var (_, syntax) = Decode(key, text, "a base64 pattern", ValueGrammar.ReadNestedPattern);
        var steps = new List<ITransformation>(syntax.Calls.Count);
        var canonical = new List<string>(syntax.Calls.Count);
        foreach (var call in syntax.Calls)
        {
            ITransformation step;
            string stepCanonical;
            try
            {
                (step, stepCanonical) = _catalog.Bind(call, _depth + 1);
            }
            catch (CdnException e)
            {
                throw CdnException.InvalidArgument($"{Operation}: '{key}' holds an invalid step: {e.Message}");
            }

            if (step is IOutputTransformation)
            {
                throw Invalid(key, text, $"a pattern without output steps ({call.QualifiedName} sets the format or quality of the whole result)");
            }

            steps.Add(step);
            canonical.Add(stepCanonical);
        }

        return Record(key, steps, ValueGrammar.EncodeBase64Url(Encoding.UTF8.GetBytes(string.Join("~", canonical))));
    }

    /// <summary>Throws for any argument no read asked for.</summary>
    public void EnsureAllConsumed()
    {
        foreach (var key in _given.Keys)
        {
            if (!_canonical.ContainsKey(key))
            {
                throw CdnException.InvalidArgument($"{Operation}: unknown argument '{key}'");
            }
        }
    }

    /// <summary>The canonical text of the call: keys sorted, defaults filled, numbers normalised.</summary>
    public string ToCanonicalString() =>
        Operation + "(" + string.Join(",", _canonical.Select(p => p.Key + ":" + p.Value)) + ")";

    /// <summary>A failure that names this operation and argument.</summary>
    public CdnException Invalid(string key, string given, string expectation)
    {
        ArgumentNullException.ThrowIfNull(given);
        var echoed = given.Length <= MaxEchoedValueLength ? given : given[..MaxEchoedValueLength] + "…";
        return CdnException.InvalidArgument($"{Operation}: '{key}' must be {expectation} (got '{echoed}')");
    }

    internal static string FormatNumber(double value) =>
        value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture);

    private static string ValidFilePath(string path)
    {
        CdnUrlSplitter.ValidateFilePath(path);
        return path;
    }

    /// <summary>Runs a <see cref="ValueGrammar"/> decoder, turning its failure into <see cref="Invalid"/> with the reason.</summary>
    private T Decode<T>(string key, string text, string expectation, Func<string, T> decode)
    {
        try
        {
            return decode(text);
        }
        catch (CdnUrlException e)
        {
            throw Invalid(key, text, expectation + ": " + char.ToLowerInvariant(e.Message[0]) + e.Message[1..]);
        }
    }

    private T Record<T>(string key, T value, string canonical)
    {
        _canonical[key] = canonical;
        return value;
    }
}
