using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Urls.Client;

/// <summary>
/// What a server accepts in a pattern before it reads any image: its pattern limits (length, number of calls) and,
/// when known, its operations with their arguments' types and ranges. The builders check a pattern against these, so
/// that a URL the server would always refuse is refused when it is built, not when it is requested.
/// </summary>
/// <remarks>
/// The rules come from the server's own description: <c>GET /api/v1/catalog</c> (<see cref="FromCatalog"/>), made by
/// its binders, and the limits are <see cref="PatternLimits"/>, the type the server's grammar enforces.
/// <see cref="CdnProxyDefaults"/> is that document for a server with the default configuration, embedded at build time
/// (a server test keeps it equal to what the server publishes). Presets are the server's configuration: a preset
/// reference is checked for its shape only.
/// </remarks>
public sealed class PatternRules
{
    private const string EmbeddedCatalog = "CdnProxy.Urls.Client.cdnproxy-catalog.json";

    /// <summary>How many patterns' verdicts one instance remembers.</summary>
    private const int RememberedPatterns = 256;

    private static readonly Lazy<PatternRules> Defaults = new(LoadDefaults);

    // CdnProxy's operations are Pixelbin's (docs/pixelbin-url-spec.md), so their arguments are checked the same way.
    private static readonly Lazy<PatternRules> PixelbinCdn = new(() =>
        new PatternRules(CdnProxyDefaults._limits, CdnProxyDefaults._operations, CdnProxyDefaults._maxReferencedFiles, othersAllowed: true));

    /// <summary>
    /// The verdict on patterns already checked (an empty string for none): a backend builds many URLs with the same
    /// few patterns, and reading one with the grammar costs about 8 µs and 20 KB, five times the rest of the URL.
    /// Bounded: once full, further patterns are checked each time.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _verdicts = new(StringComparer.Ordinal);

    private readonly Dictionary<string, OperationRule>? _operations;

    /// <summary>Kept to this instance: <see cref="PatternLimits"/> is settable (configuration binds into it), and the
    /// shared rules must not change under other threads' builders.</summary>
    private readonly PatternLimits _limits;

    /// <summary>The most different files (<c>t.merge(i:…)</c>) one pattern may name; null when the catalogue does not say.</summary>
    private readonly int? _maxReferencedFiles;

    /// <summary>Operations missing from <see cref="_operations"/> are let through (Pixelbin's CDN serves more than CdnProxy).</summary>
    private readonly bool _othersAllowed;

    private PatternRules(PatternLimits limits, Dictionary<string, OperationRule>? operations, int? maxReferencedFiles = null, bool othersAllowed = false)
    {
        _limits = limits with { };
        _operations = operations;
        _maxReferencedFiles = maxReferencedFiles;
        _othersAllowed = othersAllowed;
    }

    /// <summary>
    /// The server's pattern limits and grammar only, any operation allowed: what <see cref="PixelbinUrls.ObjToUrl(PixelbinUrlObject)"/>
    /// checks, since the Pixelbin SDK writes any operation (<c>erase.bg()</c>) and a Pixelbin URL may be meant for another server.
    /// </summary>
    public static PatternRules AnyOperation { get; } = new(PatternLimits.Default, operations: null);

    /// <summary>A CdnProxy server with the default configuration: its limits, operations and argument ranges.</summary>
    public static PatternRules CdnProxyDefaults => Defaults.Value;

    /// <summary>
    /// The rules a builder assumes for URLs starting with <paramref name="baseUrl"/>: for Pixelbin's own CDN
    /// (<c>pixelbin.io</c> and its subdomains, the SDK's default base URL), <see cref="CdnProxyDefaults"/> for the
    /// operations CdnProxy serves and any other operation let through (Pixelbin serves <c>erase.bg</c>,
    /// <c>sr.upscale</c>…); <see cref="CdnProxyDefaults"/> for any other server.
    /// </summary>
    /// <param name="baseUrl">The URL's base, e.g. <c>https://cdn.example.com</c>.</param>
    /// <returns>The rules.</returns>
    public static PatternRules ForBaseUrl(string? baseUrl) =>
        Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
            && (uri.IdnHost.Equals("pixelbin.io", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".pixelbin.io", StringComparison.OrdinalIgnoreCase))
            ? PixelbinCdn.Value
            : CdnProxyDefaults;

    /// <summary>The server's pattern limits (a copy: changing it changes nothing here).</summary>
    public PatternLimits Limits => _limits with { };

    /// <summary>Whether operations and their arguments are checked (false for <see cref="AnyOperation"/>).</summary>
    public bool ChecksOperations => _operations is not null;

    /// <summary>Rules read from a server's catalogue document (<c>GET /api/v1/catalog</c>), for a server configured otherwise.</summary>
    /// <param name="catalogJson">The document.</param>
    /// <returns>The rules.</returns>
    /// <exception cref="FormatException">The text is not a catalogue document.</exception>
    public static PatternRules FromCatalog(string catalogJson)
    {
        ArgumentNullException.ThrowIfNull(catalogJson);
        try
        {
            using var document = JsonDocument.Parse(catalogJson);
            var root = document.RootElement;
            var limits = root.GetProperty("limits");
            var operations = new Dictionary<string, OperationRule>(StringComparer.Ordinal);
            foreach (var operation in root.GetProperty("operations").EnumerateArray())
            {
                var rule = OperationRule.Read(operation);
                operations[rule.Name] = rule;
            }

            return new PatternRules(
                new PatternLimits { MaxCalls = limits.GetProperty("maxCalls").GetInt32(), MaxLength = limits.GetProperty("maxPatternLength").GetInt32() },
                operations,
                limits.TryGetProperty("maxReferencedFiles", out var files) ? files.GetInt32() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentNullException or FormatException)
        {
            throw new FormatException("The text is not a CdnProxy catalogue document (GET /api/v1/catalog): " + e.Message, e);
        }
    }

    /// <summary>
    /// Why the server would refuse <paramref name="servedPattern"/> (the pattern segment as the server decodes it)
    /// before reading the image; null when it would not.
    /// </summary>
    internal string? Problem(string servedPattern)
    {
        if (_verdicts.TryGetValue(servedPattern, out var known))
        {
            return known.Length == 0 ? null : known;
        }

        var problem = FirstProblem(servedPattern);
        if (servedPattern.Length <= _limits.MaxLength && _verdicts.Count < RememberedPatterns)
        {
            _verdicts.TryAdd(servedPattern, problem ?? string.Empty);
        }

        return problem;
    }

    private string? FirstProblem(string servedPattern)
    {
        if (!PatternGrammar.TryParse(servedPattern, _limits, out var syntax, out var error))
        {
            return error.Message;
        }

        if (_operations is null)
        {
            return null;
        }

        var files = new HashSet<string>(StringComparer.Ordinal);
        return CallsProblem(syntax, nested: false, files)
            ?? (files.Count > _maxReferencedFiles
                ? $"t.merge: 'i' may name at most {_maxReferencedFiles} different images per pattern (this one names {files.Count})"
                : null);
    }

    /// <summary>The first problem of the calls of <paramref name="syntax"/>; the file ids they name are added to <paramref name="files"/>.</summary>
    private string? CallsProblem(PatternSyntax syntax, bool nested, HashSet<string> files)
    {
        foreach (var element in syntax.Elements)
        {
            if (element is TransformationCall call && CallProblem(call, nested, files) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private string? CallProblem(TransformationCall call, bool nested, HashSet<string> files)
    {
        if (!_operations!.TryGetValue(call.QualifiedName, out var operation))
        {
            return _othersAllowed ? null : call is { Plugin: PresetReference.Plugin, Name: "apply" }
                ? "p.apply needs the preset's name as its n argument, e.g. p.apply(n:thumb)"
                : $"the server has no operation '{call.QualifiedName}'";
        }

        if (nested && operation.SetsOutput)
        {
            return $"{call.QualifiedName} sets the format or quality of the whole result, so a nested pattern may not hold it";
        }

        // Duplicate keys: the last one wins, as on the server.
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in call.Arguments)
        {
            given[argument.Key] = argument.Value;
        }

        foreach (var (key, value) in given)
        {
            if (!operation.Arguments.TryGetValue(key, out var argument))
            {
                return $"{call.QualifiedName} has no argument '{key}' (it takes {string.Join(", ", operation.Arguments.Keys)})";
            }

            if (ValueProblem(argument, value, files) is { } problem)
            {
                return $"{call.QualifiedName}: '{key}' must be {problem}";
            }
        }

        return null;
    }

    private string? ValueProblem(ArgumentRule argument, string value, HashSet<string> files)
    {
        var min = argument.Min ?? double.MinValue;
        var max = argument.Max ?? double.MaxValue;
        return argument.Type switch
        {
            "integer" => ArgumentText.TryWhole(value, ToInt(min), ToInt(max), out _) ? null : Range("an integer", min, max),
            "number" => ArgumentText.TryReal(value, min, max, out _) ? null : Range("a number", min, max),
            "boolean" => ArgumentText.TryFlag(value, out _) ? null : "true or false",
            "choice" => argument.Choices.Contains(value) ? null : "one of " + string.Join(", ", argument.Choices),
            "colour" => ArgumentText.TryColour(value, out _) ? null : "a colour RRGGBB or RRGGBBAA",
            "quality" => ArgumentText.TryQuality(value, argument.Words, ToInt(min), out _) ? null
                : Range("a quality", min, 100) + (argument.Words.Count > 0 ? " or one of " + string.Join(", ", argument.Words.Keys) : ""),
            "boundingBox" => ValueGrammar.TryParseBbox(value, out _) ? null : "a bounding box top_left_height_width (height and width not negative)",
            "boundingBoxList" => ValueGrammar.TryParseBboxList(value, out _) ? null : "a list of bounding boxes [[top_left_height_width]_...]",
            "polygonList" => ValueGrammar.TryParsePolygonList(value, out _) ? null : "a list of polygons [[[x_y]_[x_y]_[x_y]...]_...]",
            "fileId" => Decoded(value, "a base64 file id", text => files.Add(ValidFilePath(ValueGrammar.DecodeFileId(text)))),
            "pattern" => NestedProblem(value, files),
            _ => null, // A type this client does not know yet: the server decides.
        };
    }

    private string? NestedProblem(string value, HashSet<string> files)
    {
        PatternSyntax? syntax = null;
        return Decoded(value, "a base64 pattern", text => syntax = ValueGrammar.ReadNestedPattern(text).Syntax)
            ?? (CallsProblem(syntax!, nested: true, files) is { } problem ? "a pattern the server reads: " + problem : null);
    }

    private static string ValidFilePath(string path)
    {
        CdnUrlSplitter.ValidateFilePath(path);
        return path;
    }

    private static string? Decoded(string value, string expectation, Action<string> decode)
    {
        try
        {
            decode(value);
            return null;
        }
        catch (CdnUrlException e)
        {
            return expectation + ": " + char.ToLowerInvariant(e.Message[0]) + e.Message[1..];
        }
    }

    private static string Range(string what, double min, double max) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} from {min} to {max}");

    private static int ToInt(double bound) => (int)Math.Clamp(bound, int.MinValue, int.MaxValue);

    private static PatternRules LoadDefaults()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(EmbeddedCatalog)
            ?? throw new InvalidOperationException($"The embedded resource {EmbeddedCatalog} is missing from the build.");
        using var reader = new StreamReader(stream);
        return FromCatalog(reader.ReadToEnd());
    }

    private sealed record OperationRule(string Name, bool SetsOutput, Dictionary<string, ArgumentRule> Arguments)
    {
        public static OperationRule Read(JsonElement operation)
        {
            var arguments = new Dictionary<string, ArgumentRule>(StringComparer.Ordinal);
            foreach (var argument in operation.GetProperty("arguments").EnumerateArray())
            {
                var rule = ArgumentRule.Read(argument);
                arguments[rule.Key] = rule;
            }

            return new OperationRule(
                operation.GetProperty("name").GetString()!,
                operation.TryGetProperty("setsOutput", out var setsOutput) && setsOutput.GetBoolean(),
                arguments);
        }
    }

    private sealed record ArgumentRule(string Key, string Type, double? Min, double? Max, HashSet<string> Choices, Dictionary<string, int> Words)
    {
        public static ArgumentRule Read(JsonElement argument)
        {
            var choices = new HashSet<string>(ArgumentText.ChoiceComparer);
            if (argument.TryGetProperty("choices", out var tokens))
            {
                choices.UnionWith(tokens.EnumerateArray().Select(token => token.GetString()!));
            }

            if (argument.TryGetProperty("aliases", out var aliases))
            {
                choices.UnionWith(aliases.EnumerateObject().Select(alias => alias.Name));
            }

            var words = new Dictionary<string, int>(ArgumentText.ChoiceComparer);
            if (argument.TryGetProperty("words", out var named))
            {
                foreach (var word in named.EnumerateObject())
                {
                    words[word.Name] = word.Value.GetInt32();
                }
            }

            return new ArgumentRule(
                argument.GetProperty("key").GetString()!,
                argument.GetProperty("type").GetString()!,
                argument.TryGetProperty("min", out var min) ? min.GetDouble() : null,
                argument.TryGetProperty("max", out var max) ? max.GetDouble() : null,
                choices,
                words);
        }
    }
}
