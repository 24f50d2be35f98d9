namespace CdnProxy.Urls.Client;

/// <summary>
/// An image URL builder like the core SDK's <c>Image</c>: <c>{baseUrl}/v2/{cloud}[/{zone}]/{pattern}/{path}</c>, or
/// <c>…/wrkr/{path}</c> for a worker image. As the SDK's <c>getUrl()</c> does, it always writes <c>v2</c> and removes
/// every space from the pattern and the path.
/// </summary>
public sealed class PixelbinImage
{
    /// <summary>Creates an image reference.</summary>
    /// <param name="cloudName">The cloud name.</param>
    /// <param name="filePath">The file path (or, for a worker image, the worker path).</param>
    /// <param name="zone">The zone slug; <see langword="null"/> or <c>default</c> for the default zone.</param>
    /// <param name="worker">Build a URL Translation Worker (<c>wrkr</c>) URL; transformations are then ignored.</param>
    /// <param name="baseUrl">The CDN origin.</param>
    public PixelbinImage(string cloudName, string filePath, string? zone = null, bool worker = false, string baseUrl = PixelbinUrlObject.DefaultBaseUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(cloudName);
        ArgumentNullException.ThrowIfNull(filePath);
        ArgumentException.ThrowIfNullOrEmpty(baseUrl);
        CloudName = cloudName;
        FilePath = filePath;
        Zone = zone;
        Worker = worker;
        BaseUrl = baseUrl;
        Rules = PatternRules.ForBaseUrl(baseUrl);
    }

    /// <summary>The cloud name.</summary>
    public string CloudName { get; }

    /// <summary>The file path (or worker path).</summary>
    public string FilePath { get; }

    /// <summary>The zone slug; <see langword="null"/> or <c>default</c> means no zone segment.</summary>
    public string? Zone { get; }

    /// <summary>Whether this is a worker image.</summary>
    public bool Worker { get; }

    /// <summary>The CDN origin.</summary>
    public string BaseUrl { get; }

    /// <summary>
    /// What the server accepts in a pattern, unless set (a server's own catalogue, or
    /// <see cref="PatternRules.AnyOperation"/>): <see cref="PatternRules.ForBaseUrl"/> — a CdnProxy server's defaults,
    /// but any operation for Pixelbin's own CDN (the default base URL), which serves operations CdnProxy does not.
    /// </summary>
    public PatternRules Rules { get; init; }

    /// <summary>The transformation to apply, or <see langword="null"/> for <c>original</c>.</summary>
    public Transformation? Transformation { get; set; }

    /// <summary>Builds the URL; the base URL, zone, cloud name and file path are checked and escaped as <see cref="PixelbinUrls.ObjToUrl(PixelbinUrlObject)"/> does.</summary>
    /// <returns>The URL.</returns>
    /// <exception cref="PixelbinUrlException">The base URL, zone, cloud name or file (or worker) path is not one the server
    /// accepts, or the pattern breaks <see cref="Rules"/> (too long, too many calls, an unknown operation or argument, a
    /// value out of range), or the URL's path is longer than the server reads.</exception>
    public string GetUrl()
    {
        var parts = new List<string> { PixelbinPathText.BaseUrl(BaseUrl), "v2", PixelbinPathText.CloudName(CloudName) };
        if (Zone != "default" && PixelbinPathText.Zone(Zone) is { Length: > 0 } zone)
        {
            parts.Add(zone);
        }

        parts.Add(Worker ? "wrkr" : Pattern());
        parts.Add(Worker ? PixelbinPathText.WorkerPath(RemoveSpaces(FilePath)) : PixelbinPathText.FilePath(RemoveSpaces(FilePath)));
        PixelbinPathText.CheckServedLength(parts.Skip(1));
        return string.Join('/', parts);
    }

    /// <summary>The URL (<see cref="GetUrl"/>), or for an image no URL can name, why not: ToString must not throw (debuggers, logs).</summary>
    public override string ToString()
    {
        try
        {
            return GetUrl();
        }
        catch (PixelbinUrlException e)
        {
            return "(no URL: " + e.Message + ")";
        }
    }

    /// <summary>The pattern with every space removed, as the SDK does, before its values are checked and escaped.</summary>
    private string Pattern() =>
        Transformation is null
            ? PixelbinUrls.PatternOf(null)
            : PixelbinUrls.CheckedPatternOf(
                [.. Transformation.Steps.Select(step => new PixelbinTransformation(
                    RemoveSpaces(step.Plugin),
                    RemoveSpaces(step.Name),
                    step.Values?.Select(v => new PixelbinValue(RemoveSpaces(v.Key), v.Value is null ? null : RemoveSpaces(v.Value))).ToList()))],
                Rules);

    private static string RemoveSpaces(string text) => text.Replace(" ", "", StringComparison.Ordinal);
}
