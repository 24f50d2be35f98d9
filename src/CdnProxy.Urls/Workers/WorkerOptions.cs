namespace CdnProxy.Urls.Workers;

/// <summary>
/// A zone's URL Translation Worker configuration, bound from
/// <c>CdnProxy:Clouds:&lt;cloud&gt;:Zones:&lt;slug&gt;:Worker</c>; see <c>docs/worker-urls.md</c>.
/// The example files in <c>config/workers/</c> have exactly this shape: <c>{ "Rules": [ … ] }</c>.
/// </summary>
public sealed class WorkerOptions
{
    /// <summary>
    /// The rules, tried in order; the first whose <see cref="WorkerRule.Match"/> matches translates the path.
    /// With no rules the worker path is passed through unchanged, like Pixelbin's default <c>translate</c>.
    /// </summary>
    public IList<WorkerRule> Rules { get; } = new List<WorkerRule>();
}

/// <summary>
/// One translation rule: a regex over the whole worker path and templates that build <c>{pattern}/{filePath}</c>.
/// </summary>
/// <remarks>
/// Rule-level templates (<see cref="Pattern"/>, <see cref="FilePath"/>, <see cref="WorkerOptionList.Append"/>) write
/// <c>{name}</c> for a named group and <c>{1}</c> for a numbered group, optionally followed by filters:
/// <c>{ext|lower}</c>. A group that did not match stands for the empty string.
/// </remarks>
public sealed class WorkerRule
{
    /// <summary>A name used in configuration error messages, e.g. <c>cloudinary-upload</c>; optional.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// A .NET regular expression matched against the whole worker path (it is anchored as <c>^(?:…)$</c>) with the
    /// linear-time <c>NonBacktracking</c> engine, so backreferences and lookarounds are not available.
    /// </summary>
    public string Match { get; set; } = "";

    /// <summary>
    /// A pattern template placed before the calls translated from <see cref="Options"/>, e.g.
    /// <c>t.resize(h:400,w:300)</c> or <c>{pattern}</c>; empty for none. With no calls at all the pattern is <c>original</c>.
    /// </summary>
    public string Pattern { get; set; } = "";

    /// <summary>The file path template, e.g. <c>{path}</c> (the default) or <c>images/{2}</c>; it must not come out empty.</summary>
    public string FilePath { get; set; } = "{path}";

    /// <summary>How to read a vendor option list out of a group of the match and turn it into calls; null for none.</summary>
    public WorkerOptionList? Options { get; set; }
}

/// <summary>
/// How a vendor's option list (<c>w_300,h_200,c_fill</c>, <c>rs:fit:300:200/q:80</c>, <c>w=300&amp;fit=crop</c>) is
/// split, and the ordered map from vendor option to Pixelbin calls.
/// </summary>
/// <remarks>
/// The list is split into steps by <see cref="StepSeparator"/>, each step into options by <see cref="Separator"/>,
/// each option into key and value at the first <see cref="KeyValueSeparator"/>, and the value into arguments by
/// <see cref="ArgumentSeparator"/>. Within a step the calls of all options are merged: one call per operation, in the
/// order of <see cref="Map"/>, a later option overriding an earlier one's argument. Steps are chained with <c>~</c>.
/// </remarks>
public sealed class WorkerOptionList
{
    /// <summary>The name (or number) of the group holding the option list; <c>options</c> by default. An unmatched group is an empty list.</summary>
    public string Group { get; set; } = "options";

    /// <summary>Separates steps whose calls are chained rather than merged (Cloudinary's <c>/</c>); empty for a single step.</summary>
    public string StepSeparator { get; set; } = "";

    /// <summary>Separates options within a step: <c>,</c> by default; empty items are skipped.</summary>
    public string Separator { get; set; } = ",";

    /// <summary>Separates an option's key from its value at its first occurrence: <c>_</c> by default. An option without it has an empty value.</summary>
    public string KeyValueSeparator { get; set; } = "_";

    /// <summary>Splits a value into the arguments <c>{v1}</c>, <c>{v2}</c>, … (imgproxy's <c>:</c>); empty to keep the value whole.</summary>
    public string ArgumentSeparator { get; set; } = "";

    /// <summary>Percent-decode each value before it is used (for query strings).</summary>
    public bool PercentDecode { get; set; }

    /// <summary>When true an option whose key is not in <see cref="Map"/> is skipped; when false (the default) it is an error.</summary>
    public bool IgnoreUnknown { get; set; }

    /// <summary>Keys that are always skipped, e.g. imgix's <c>ixlib</c> or imgproxy's <c>cb</c>.</summary>
    public IList<string> Ignore { get; } = new List<string>();

    /// <summary>
    /// Options applied at the start of every step with the lowest priority, e.g. <c>c_scale</c>; like
    /// <see cref="WorkerOption.Modifies"/> options they only add arguments to calls that options of the step created.
    /// </summary>
    public IList<string> Defaults { get; } = new List<string>();

    /// <summary>
    /// Rule-level templates of extra options added to the last step, e.g. <c>f:{ext}</c> for imgproxy's <c>@webp</c>;
    /// one is skipped when a group it references did not match.
    /// </summary>
    public IList<string> Append { get; } = new List<string>();

    /// <summary>The vendor options, in the order their calls and arguments are written.</summary>
    public IList<WorkerOption> Map { get; } = new List<WorkerOption>();

    /// <summary>
    /// Named value maps usable as filters in option templates: <c>"fit": { "fill": "cover" }</c> makes
    /// <c>{v|fit}</c> translate <c>fill</c> to <c>cover</c>; a value missing from the map is an error.
    /// </summary>
    public IDictionary<string, IDictionary<string, string>> Values { get; } =
        new Dictionary<string, IDictionary<string, string>>(StringComparer.Ordinal);
}

/// <summary>One vendor option and the Pixelbin calls it becomes.</summary>
/// <remarks>
/// Templates are patterns whose argument values may hold placeholders: <c>{v}</c> (the whole value) and
/// <c>{v1}</c>…<c>{v9}</c> (the arguments), each optionally followed by filters: <c>{v2|int}</c>, <c>{v|lower|fit}</c>.
/// Built-in filters: <c>int</c>, <c>number</c>, <c>color</c> (hex, <c>#</c> or <c>rgb:</c> prefix, 3/6/8 digits),
/// <c>lower</c>; any other name is a map in <see cref="WorkerOptionList.Values"/>. An argument whose value comes out
/// empty is left out; a value that fails a filter or is not a valid pattern value is an error.
/// </remarks>
public sealed class WorkerOption
{
    /// <summary>The vendor keys, e.g. <c>rs</c> and <c>resize</c>; matched case-sensitively.</summary>
    public IList<string> Keys { get; } = new List<string>();

    /// <summary>The calls template, e.g. <c>t.resize(w:{v|int})</c>; used when no <see cref="Cases"/> entry applies.</summary>
    public string Pattern { get; set; } = "";

    /// <summary>
    /// Call templates chosen by value: the whole value is looked up first, then the first argument, then <c>*</c>;
    /// an empty template accepts the option and adds nothing (e.g. Cloudinary's <c>f_auto</c>).
    /// </summary>
    public IDictionary<string, string> Cases { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// When true the option only adds arguments to calls that other options of the same step created
    /// (Cloudinary's <c>c_fill</c> sets the fit of a resize but does not resize on its own).
    /// </summary>
    public bool Modifies { get; set; }
}
