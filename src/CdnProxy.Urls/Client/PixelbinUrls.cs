using System.Text;
using System.Text.RegularExpressions;
using CdnProxy.Urls.Grammar;

namespace CdnProxy.Urls.Client;

/// <summary>
/// The Pixelbin SDK's URL functions (<c>urlToObj</c>, <c>objToUrl</c>) for .NET, with the SDK's accept/reject behaviour
/// (spec §6.1–§6.4). This parser is deliberately lenient, like the SDK; the server uses the strict grammar in
/// <see cref="Grammar.PatternGrammar"/>.
/// </summary>
public static partial class PixelbinUrls
{
    /// <summary>Parses a full Pixelbin URL into the SDK's object.</summary>
    /// <param name="url">An absolute URL, e.g. <c>https://cdn.pixelbin.io/v2/demo/original/a.jpg</c>.</param>
    /// <param name="isCustomDomain">Whether the host is a custom domain (no cloud segment, version required).</param>
    /// <returns>The parsed object; <see cref="PixelbinUrlObject.FilePath"/> stays percent-escaped, and
    /// <see cref="PixelbinUrlObject.IsCustomDomain"/> is <paramref name="isCustomDomain"/>, so that <see cref="ObjToUrl(PixelbinUrlObject)"/> builds the URL again.</returns>
    /// <exception cref="PixelbinUrlException">The URL, its pattern or its <c>dpr</c>/<c>f_auto</c> query is not acceptable.</exception>
    public static PixelbinUrlObject UrlToObj(string url, bool isCustomDomain = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        var (baseUrl, path, query) = SplitUrl(url);
        var segments = new List<string>(path.Split('/'));
        if (segments.Count > 0 && segments[0].Length == 0)
        {
            segments.RemoveAt(0);
        }

        // IsCustomDomain is not in the SDK's JSON, but without it the object would not build its own URL again.
        var obj = new PixelbinUrlObject { BaseUrl = baseUrl, Options = ReadQuery(query), IsCustomDomain = isCustomDomain };
        if (segments.Count > 0 && VersionRegex().IsMatch(segments[0]))
        {
            obj.Version = segments[0];
            segments.RemoveAt(0);
        }
        else if (isCustomDomain)
        {
            throw InvalidUrl();
        }
        else
        {
            obj.Version = "v1";
        }

        var rest = "/" + string.Join('/', segments);
        if (isCustomDomain)
        {
            if (segments.Count == 0)
            {
                throw InvalidUrl();
            }

            ReadShape(obj, rest, CustomZoneWorker(), CustomWorker(), CustomZonePattern(), CustomPattern(), hasCloud: false);
        }
        else
        {
            if (segments.Count == 0 || segments[0].Length < 3)
            {
                throw InvalidUrl();
            }

            ReadShape(obj, rest, ZoneWorker(), Worker(), ZonePattern(), Pattern(), hasCloud: true);
        }

        return obj;
    }

    /// <summary>Builds a URL from the SDK's object, as the SDK's <c>objToUrl</c> does (spec §6.4).</summary>
    /// <param name="obj">The object; <see cref="PixelbinUrlObject.Transformations"/> gives the pattern (none → <c>original</c>).</param>
    /// <returns>The URL.</returns>
    /// <remarks>
    /// Unlike the SDK, the base URL must be an absolute http(s) URL without query, fragment or user name, the zone (when
    /// given) a six-character slug (the SDK drops a shorter one and writes a longer one, which the server reads as the
    /// pattern), the worker path not empty (the SDK writes <c>…/wrkr</c>, which the server refuses), and the cloud name
    /// and file path ones the server accepts; <c>?</c>, <c>#</c> and a
    /// <c>%</c> that starts no escape are escaped in the file path, so the URL names exactly that file; its other
    /// characters and escapes are written as given (it is URL path text, as <see cref="UrlToObj"/> returns it). A
    /// <c>%2F</c> is refused there: the server keeps it as text, so it would not name the folder it spells. The worker
    /// path and argument values are escaped the same way (<see cref="PatternOf"/>).
    /// </remarks>
    /// <exception cref="PixelbinUrlException">A required field is missing, a field is not allowed, an option is out of
    /// range, or the base URL, zone, cloud name, file path or worker path is not one the server accepts (the message
    /// names the field: <c>key zone 'abc' is not one the server accepts: …</c>).</exception>
    public static string ObjToUrl(PixelbinUrlObject obj) => ObjToUrl(obj, PatternRules.AnyOperation);

    /// <summary>
    /// Builds a URL from the SDK's object as <see cref="ObjToUrl(PixelbinUrlObject)"/> does, refusing a pattern the server
    /// described by <paramref name="rules"/> would refuse before reading the image: an unknown operation or argument, a
    /// value out of its range (<see cref="PatternRules.CdnProxyDefaults"/>, or a server's catalogue).
    /// </summary>
    /// <param name="obj">The object.</param>
    /// <param name="rules">The server's rules.</param>
    /// <returns>The URL.</returns>
    /// <exception cref="PixelbinUrlException">As for <see cref="ObjToUrl(PixelbinUrlObject)"/>, or the pattern breaks the rules (the message says how).</exception>
    public static string ObjToUrl(PixelbinUrlObject obj, PatternRules rules)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(rules);
        if (obj.IsCustomDomain)
        {
            if (obj.CloudName is not null)
            {
                throw IllegalArgument("key cloudName is not valid for custom domains");
            }
        }
        else if (string.IsNullOrEmpty(obj.CloudName))
        {
            throw IllegalArgument("key cloudName should be defined");
        }

        if (obj.Worker)
        {
            if (obj.WorkerPath is null)
            {
                throw IllegalArgument("key workerPath should be a defined");
            }
        }
        else if (string.IsNullOrEmpty(obj.FilePath))
        {
            throw IllegalArgument("key filePath should be defined");
        }

        var baseUrl = string.IsNullOrEmpty(obj.BaseUrl) ? PixelbinUrlObject.DefaultBaseUrl : obj.BaseUrl;
        var parts = new List<string> { PixelbinPathText.BaseUrl(baseUrl) };
        parts.Add(obj.Version is not null && VersionRegex().IsMatch(obj.Version) ? obj.Version : "v2");
        if (!obj.IsCustomDomain)
        {
            parts.Add(PixelbinPathText.CloudName(obj.CloudName!));
        }

        parts.Add(PixelbinPathText.Zone(obj.Zone));

        if (obj.Worker)
        {
            parts.Add("wrkr");
            parts.Add(PixelbinPathText.WorkerPath(obj.WorkerPath!));
        }
        else
        {
            parts.Add(CheckedPatternOf(obj.Transformations, rules));
            parts.Add(PixelbinPathText.FilePath(obj.FilePath!));
        }

        PixelbinPathText.CheckServedLength(parts.Skip(1));

        var url = string.Join('/', parts.Where(p => p.Length > 0));
        // A worker path may carry its own query ('?w=300'): the options then follow it.
        var query = QueryOf(obj.Options);
        return query.Length == 0 ? url : url + (url.EndsWith('?') ? "" : url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    /// <summary>Reads a pattern segment into operations with the SDK's lenient rules (<c>original</c> → none).</summary>
    /// <param name="pattern">The pattern, e.g. <c>t.resize(w:100)~p:thumb</c>.</param>
    /// <returns>The operations.</returns>
    /// <exception cref="PixelbinUrlException">An operation cannot be read ("Error Processing url…").</exception>
    public static IReadOnlyList<PixelbinTransformation> PatternToTransformations(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return PixelbinPatternReader.Read(pattern);
    }

    /// <summary>Writes the pattern for a list of operations: <c>original</c> when empty, else <c>~</c>-joined calls.</summary>
    /// <param name="transformations">The operations.</param>
    /// <returns>The pattern segment.</returns>
    /// <remarks>
    /// Argument values are URL path text, as <see cref="UrlToObj"/> returns them: <c>?</c>, <c>#</c> and a <c>%</c> that
    /// starts no escape are escaped, and the server, which decodes the path once, must read back a value its grammar takes.
    /// </remarks>
    /// <exception cref="PixelbinUrlException">An argument has an empty key or no value, or a name, key or value the server
    /// could not read back (a delimiter such as <c>(</c> <c>)</c> <c>,</c> <c>:</c> <c>~</c> <c>/</c>, a space…).</exception>
    public static string PatternOf(IReadOnlyList<PixelbinTransformation>? transformations)
    {
        if (transformations is null || transformations.Count == 0)
        {
            return PixelbinPatternReader.Original;
        }

        var pattern = new StringBuilder();
        foreach (var t in transformations)
        {
            if (pattern.Length > 0)
            {
                pattern.Append('~');
            }

            var isPreset = t.Plugin == PresetReference.Plugin && t.Name != "apply";
            if (OperationNameProblem(t, isPreset) is { } problem)
            {
                // The server's grammar decides (the SDK's reader also takes '-' and a leading digit in any name).
                throw IllegalArgument($"operation '{t.Plugin}.{t.Name}' cannot be written: {problem}");
            }

            pattern.Append(t.Plugin).Append(isPreset ? ':' : '.').Append(t.Name);
            var values = t.Values ?? [];
            if (isPreset && values.Count == 0)
            {
                continue;
            }

            pattern.Append('(');
            for (var i = 0; i < values.Count; i++)
            {
                var (key, value) = (values[i].Key, values[i].Value);
                if (string.IsNullOrEmpty(key))
                {
                    throw IllegalArgument($"key not specified in '{t.Name}'");
                }

                if (string.IsNullOrEmpty(value))
                {
                    throw IllegalArgument($"value not specified for key '{key}' in '{t.Name}'");
                }

                if (!key.All(PatternGrammar.IsWordCharacter))
                {
                    throw IllegalArgument($"key '{key}' in '{t.Name}' cannot be written: argument keys are letters, digits and '_'");
                }

                pattern.Append(i > 0 ? "," : "").Append(key).Append(':').Append(PixelbinPathText.ArgumentValue(t.Name, key, value));
            }

            pattern.Append(')');
        }

        return pattern.ToString();
    }

    /// <summary>The pattern for <paramref name="transformations"/>, when the server that <paramref name="rules"/> describe would serve it.</summary>
    /// <exception cref="PixelbinUrlException">As for <see cref="PatternOf"/>, or the
    /// pattern breaks the rules: too long, too many calls, an unknown operation or argument, a value out of range.</exception>
    internal static string CheckedPatternOf(IReadOnlyList<PixelbinTransformation>? transformations, PatternRules rules)
    {
        var pattern = PatternOf(transformations);
        return rules.Problem(PixelbinPathText.DecodeAsServer(pattern)) is { } problem
            ? throw IllegalArgument($"pattern '{Shorten(pattern)}' would be refused by the server: {problem}")
            : pattern;
    }

    private static string Shorten(string pattern) => pattern.Length <= 80 ? pattern : pattern[..80] + "…";

    /// <summary>
    /// Why the server's grammar would not read <paramref name="t"/>'s names back as written; null when it would. A call's
    /// plugin and operation are identifiers; a preset's name (<c>p:name</c>, or <c>p.apply</c>'s first <c>n</c>) is a
    /// preset name, and <c>p.apply</c> without one is refused by the server.
    /// </summary>
    private static string? OperationNameProblem(PixelbinTransformation t, bool isPreset)
    {
        const string PresetNameRule = "preset names are letters, digits, '_' and '-'";
        if (isPreset)
        {
            return PatternGrammar.IsPresetName(t.Name) ? null : PresetNameRule;
        }

        if (!PatternGrammar.IsIdentifier(t.Plugin) || !PatternGrammar.IsIdentifier(t.Name))
        {
            return "plugin and operation names are a letter, then letters, digits and '_'";
        }

        if (t is not { Plugin: PresetReference.Plugin, Name: "apply" })
        {
            return null;
        }

        return t.Values?.FirstOrDefault(v => v.Key == "n")?.Value is { } preset
            ? PatternGrammar.IsPresetName(preset) ? null : $"its preset 'n:{preset}': {PresetNameRule}"
            : "p.apply needs the preset's name as its n argument, e.g. p.apply(n:thumb)";
    }

    private static string QueryOf(PixelbinUrlOptions? options)
    {
        if (options is null)
        {
            return "";
        }

        var query = new List<string>();
        if (options.Dpr is { } dpr)
        {
            if (!dpr.IsInRange)
            {
                throw IllegalArgument(PixelbinUrlException.DprMessage);
            }

            query.Add("dpr=" + dpr);
        }

        if (options.FAuto == true)
        {
            query.Add("f_auto=true");
        }

        return string.Join('&', query);
    }

    private static void ReadShape(PixelbinUrlObject obj, string rest, Regex zoneWorker, Regex worker, Regex zonePattern, Regex pattern, bool hasCloud)
    {
        Match m;
        if ((m = zoneWorker.Match(rest)).Success || (m = worker.Match(rest)).Success)
        {
            obj.Worker = true;
            obj.WorkerPath = m.Groups["worker"].Value;
            obj.Pattern = "";
            obj.FilePath = "";
        }
        else if ((m = zonePattern.Match(rest)).Success || (m = pattern.Match(rest)).Success)
        {
            obj.Pattern = m.Groups["pattern"].Value;
            obj.FilePath = m.Groups["file"].Value;
            obj.WorkerPath = "";
            obj.Transformations = PixelbinPatternReader.Read(obj.Pattern);
        }
        else
        {
            throw InvalidUrl();
        }

        obj.CloudName = hasCloud ? m.Groups["cloud"].Value : null;
        obj.Zone = m.Groups["zone"].Success ? m.Groups["zone"].Value : null;
    }

    private static PixelbinUrlOptions ReadQuery(string query)
    {
        string? dpr = null;
        string? fAuto = null;
        bool dprSeen = false, fAutoSeen = false;
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? null : Decode(pair[(eq + 1)..]);
            if (key == "dpr")
            {
                (dpr, dprSeen) = (value, true);
            }
            else if (key == "f_auto")
            {
                (fAuto, fAutoSeen) = (value, true);
            }
        }

        var options = new PixelbinUrlOptions();
        if (dprSeen)
        {
            if (!PixelbinDpr.TryParse(dpr, out var parsed) || !parsed.IsInRange)
            {
                throw new PixelbinUrlException(PixelbinErrorKind.IllegalQueryParameter, PixelbinUrlException.DprMessage);
            }

            options.Dpr = parsed;
        }

        if (fAutoSeen)
        {
            options.FAuto = fAuto is null
                ? throw new PixelbinUrlException(PixelbinErrorKind.IllegalQueryParameter, "f_auto needs a value: f_auto=true or f_auto=false")
                : string.Equals(fAuto, "true", StringComparison.OrdinalIgnoreCase);
        }

        return options;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    /// <summary>
    /// Splits as the SDK's <c>new URL(url)</c> does (WHATWG): raw spaces and non-ASCII letters in the path come out
    /// percent-encoded (<c>y z.png</c> → <c>y%20z.png</c>), <c>.</c>/<c>..</c> segments are resolved.
    /// </summary>
    private static (string BaseUrl, string Path, string Query) SplitUrl(string url)
    {
        Security.WhatwgUrl parsed;
        try
        {
            parsed = Security.WhatwgUrl.Parse(url);
        }
        catch (ArgumentException)
        {
            throw InvalidUrl();
        }

        return (parsed.Scheme + "://" + parsed.Authority, parsed.Pathname, parsed.Query ?? "");
    }

    private static PixelbinUrlException InvalidUrl() => new(PixelbinErrorKind.InvalidUrl, PixelbinUrlException.InvalidUrlMessage);

    private static PixelbinUrlException IllegalArgument(string message) => new(PixelbinErrorKind.IllegalArgument, message);

    [GeneratedRegex("^v[1-2]$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();

    [GeneratedRegex("^/(?<cloud>[a-zA-Z0-9_-]*)/(?<zone>[a-zA-Z0-9_-]{6})/wrkr/(?<worker>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ZoneWorker();

    [GeneratedRegex("^/(?<cloud>[a-zA-Z0-9_-]*)/wrkr/(?<worker>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Worker();

    [GeneratedRegex("^/(?<cloud>[a-zA-Z0-9_-]*)/(?<zone>[a-zA-Z0-9_-]{6})/(?<pattern>[^/]+)/(?<file>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ZonePattern();

    [GeneratedRegex("^/(?<cloud>[a-zA-Z0-9_-]*)/(?<pattern>[^/]+)/(?<file>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex Pattern();

    [GeneratedRegex("^/(?<zone>[a-zA-Z0-9_-]{6})/wrkr/(?<worker>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CustomZoneWorker();

    [GeneratedRegex("^/wrkr/(?<worker>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CustomWorker();

    [GeneratedRegex("^/(?<zone>[a-zA-Z0-9_-]{6})/(?<pattern>[^/]+)/(?<file>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CustomZonePattern();

    [GeneratedRegex("^/(?<pattern>[^/]+)/(?<file>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex CustomPattern();
}
