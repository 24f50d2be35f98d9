using System.Text.Json.Serialization;

namespace CdnProxy.Urls.Client;

/// <summary>
/// The Pixelbin SDK's URL object (<c>urlToObj</c> output, <c>objToUrl</c> input). Serialising it with
/// <see cref="System.Text.Json.JsonSerializer"/> gives the SDK's JSON names and key order; a missing
/// <see cref="Zone"/> or <see cref="CloudName"/> is left out, as <c>undefined</c> is in JavaScript.
/// </summary>
public sealed class PixelbinUrlObject
{
    /// <summary>The default Pixelbin CDN origin.</summary>
    public const string DefaultBaseUrl = "https://cdn.pixelbin.io";

    /// <summary>Scheme and host, e.g. <c>https://cdn.pixelbin.io</c>.</summary>
    [JsonPropertyName("baseUrl")]
    [JsonPropertyOrder(0)]
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The file path after the pattern, kept percent-escaped as in the URL; empty for worker URLs.</summary>
    [JsonPropertyName("filePath")]
    [JsonPropertyOrder(1)]
    public string? FilePath { get; set; }

    /// <summary>The pattern segment (<c>original</c> or a <c>~</c>-joined chain); empty for worker URLs.</summary>
    [JsonPropertyName("pattern")]
    [JsonPropertyOrder(2)]
    public string? Pattern { get; set; }

    /// <summary><c>v1</c> or <c>v2</c>.</summary>
    [JsonPropertyName("version")]
    [JsonPropertyOrder(3)]
    public string? Version { get; set; }

    /// <summary>The zone slug, or <see langword="null"/> for the default zone.</summary>
    [JsonPropertyName("zone")]
    [JsonPropertyOrder(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Zone { get; set; }

    /// <summary>The cloud name, or <see langword="null"/> on a custom domain.</summary>
    [JsonPropertyName("cloudName")]
    [JsonPropertyOrder(5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CloudName { get; set; }

    /// <summary>Whether this is a URL Translation Worker (<c>wrkr</c>) URL.</summary>
    [JsonPropertyName("worker")]
    [JsonPropertyOrder(6)]
    public bool Worker { get; set; }

    /// <summary>Everything after <c>wrkr/</c>, verbatim; empty for ordinary URLs. Built, a <c>?</c> in it starts the worker's own query.</summary>
    [JsonPropertyName("workerPath")]
    [JsonPropertyOrder(7)]
    public string? WorkerPath { get; set; }

    /// <summary>The <c>dpr</c> and <c>f_auto</c> query options.</summary>
    [JsonPropertyName("options")]
    [JsonPropertyOrder(8)]
    public PixelbinUrlOptions Options { get; set; } = new();

    /// <summary>The operations of the pattern, in order; empty for <c>original</c> and worker URLs.</summary>
    [JsonPropertyName("transformations")]
    [JsonPropertyOrder(9)]
    public IReadOnlyList<PixelbinTransformation> Transformations { get; set; } = [];

    /// <summary>Build a custom-domain URL (no cloud segment); set by <see cref="PixelbinUrls.UrlToObj"/> from its flag. Not in the SDK's JSON.</summary>
    [JsonIgnore]
    public bool IsCustomDomain { get; set; }
}

/// <summary>The query options the SDK understands.</summary>
public sealed class PixelbinUrlOptions
{
    /// <summary>Device pixel ratio; serialised as a number or <c>"auto"</c>, left out when <see langword="null"/>.</summary>
    [JsonPropertyName("dpr")]
    [JsonPropertyOrder(0)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(PixelbinDprJsonConverter))]
    public PixelbinDpr? Dpr { get; set; }

    /// <summary>Automatic output format; left out when <see langword="null"/>.</summary>
    [JsonPropertyName("f_auto")]
    [JsonPropertyOrder(1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(FAutoJsonConverter))]
    public bool? FAuto { get; set; }
}

/// <summary>One operation of a pattern: <c>plugin.name(key:value,…)</c>, or <c>p:name(…)</c> for a preset.</summary>
public sealed class PixelbinTransformation
{
    /// <summary>Creates an empty operation (for deserialisers and object initialisers).</summary>
    public PixelbinTransformation()
    {
    }

    /// <summary>Creates an operation.</summary>
    /// <param name="plugin">Plugin prefix, e.g. <c>t</c>, <c>erase</c>, <c>p</c>.</param>
    /// <param name="name">Operation (or preset) name, e.g. <c>resize</c>.</param>
    /// <param name="values">The arguments, or <see langword="null"/> for none.</param>
    public PixelbinTransformation(string plugin, string name, IReadOnlyList<PixelbinValue>? values = null)
    {
        Plugin = plugin;
        Name = name;
        Values = values;
    }

    /// <summary>The operation or preset name.</summary>
    [JsonPropertyName("name")]
    [JsonPropertyOrder(0)]
    public string Name { get; set; } = "";

    /// <summary>The plugin prefix (<c>p</c> for presets).</summary>
    [JsonPropertyName("plugin")]
    [JsonPropertyOrder(1)]
    public string Plugin { get; set; } = "";

    /// <summary>The arguments in URL order, or <see langword="null"/> (key absent in JSON) when there are none.</summary>
    [JsonPropertyName("values")]
    [JsonPropertyOrder(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PixelbinValue>? Values { get; set; }
}

/// <summary>One <c>key:value</c> argument. Values are always strings, as the SDK returns them.</summary>
/// <param name="Key">The key, e.g. <c>h</c>.</param>
/// <param name="Value">The raw value, or <see langword="null"/> when the URL gave a key without <c>:</c>.</param>
public sealed record PixelbinValue(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Value);
