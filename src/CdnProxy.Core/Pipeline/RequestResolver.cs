using CdnProxy.Core.Planning;
using CdnProxy.Core.Caching;
using CdnProxy.Core.Origins;
using CdnProxy.Core.Rendering;
using CdnProxy.Urls;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Paths;
using CdnProxy.Urls.Presets;
using CdnProxy.Urls.Security;

namespace CdnProxy.Core.Pipeline;

/// <summary>
/// The pure stages of a request, in order: split the path → find cloud and zone → verify the signature (before
/// any grammar runs, and on a cloud that requires signing before an unknown zone is told) → translate worker paths
/// → parse → expand presets → bind → dpr, f_auto → cache key.
/// Nothing here does I/O; every failure is a <see cref="CdnException"/> of a 4xx kind.
/// </summary>
public sealed class RequestResolver
{
    private const int MaxCacheBusterLength = 64;

    private readonly ICloudCatalog _clouds;
    private readonly RenderPlanCache _plans;
    private readonly PresetExpander _presets;
    private readonly SigningKeyRing _keys;
    private readonly SignatureVerifierOptions _signing;
    private readonly TimeProvider _time;
    private readonly RenderProfile _profile;

    public RequestResolver(
        ICloudCatalog clouds,
        RenderPlanBinder binder,
        PresetCatalog presets,
        SigningKeyRing keys,
        SignatureVerifierOptions signing,
        PatternLimits limits,
        TimeProvider time,
        RenderProfile? profile = null)
    {
        _clouds = clouds;
        _presets = new PresetExpander(presets, limits);
        _plans = new RenderPlanCache(binder, limits, ExpandPresets);
        _keys = keys;
        _signing = signing;
        _time = time;
        _profile = profile ?? RenderProfile.Default;
    }

    public ResolvedRequest Resolve(ImageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var customDomainCloud = request.Host is { Length: > 0 } host ? _clouds.CloudForHost(host) : null;
        var url = Guard(() => CdnUrlSplitter.Split(request.Path, customDomainCloud), CdnErrorKind.MalformedUrl);
        var cloud = _clouds.Find(url.Cloud) ?? throw new CdnException(CdnErrorKind.UnknownCloud, "Unknown cloud");
        ZoneBinding? zone = null;
        var zoneKnown = url.Zone is not { } slug || cloud.Zones.TryGetValue(slug, out zone);

        // On a cloud that requires signed URLs an unknown zone is told only to a signed URL: answered before the
        // signature, its 404 would list the zones to anyone. Other clouds keep the cheaper order.
        if (!zoneKnown && !cloud.RequireSignedUrls)
        {
            throw UnknownZone();
        }

        var (query, signed, expires, querySigned) = VerifySignature(request, cloud);
        if (!zoneKnown)
        {
            throw UnknownZone();
        }

        // A zone's rules are its own (none passes through); the cloud's serve the default zone only.
        var worker = zone is null ? cloud.Worker : zone.Worker;
        var untranslated = url;
        if (url.NeedsTranslation)
        {
            url = Translate(url, worker, query);
        }

        var plan = _plans.GetOrBind(url.PatternText);
        if (signed && !querySigned && untranslated.NeedsTranslation && worker is not null && query.Length > 0 && QueryChoosesFiles(untranslated, worker, url, plan))
        {
            // The signature covers the path alone: what a worker rule reads from the query may change the rendition
            // (AllowUnsignedQuery), never which files it reads; else one signature would serve every file.
            if (cloud.RequireSignedUrls)
            {
                throw new CdnException(CdnErrorKind.SignatureInvalid, "The URL signature does not cover the query that names the file");
            }

            (signed, expires) = (false, null);
        }

        var dpr = DprParser.Parse(request.Dpr, request.ClientHintDpr);
        var (negotiated, variesByAccept) = FormatNegotiator.Negotiate(plan, IsTrue(request.FormatAuto), request.Accept);
        var buster = CacheBuster(request.CacheBuster);
        var key = RenditionKeyBuilder.Build(url.Cloud, url.FilePath, negotiated, dpr, url.Zone, buster, _profile);
        return new ResolvedRequest(url, zone?.Origin ?? cloud.Origin, negotiated, dpr, key, variesByAccept) { HasValidSignature = signed, SignatureExpires = expires };
    }

    /// <summary>
    /// The cloud's not-found image with the missing original's plan, format and dpr (from the default zone, unsigned:
    /// it must be public); null when the cloud has none or the missing file is that image.
    /// </summary>
    public ResolvedRequest? NotFoundImageFor(ResolvedRequest missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        if (_clouds.Find(missing.Url.Cloud) is not { NotFoundImage: { } image } cloud || (missing.Url.Zone is null && missing.Url.FilePath == image))
        {
            return null;
        }

        var url = missing.Url with { FilePath = image, Zone = null, WorkerPath = null };
        var key = RenditionKeyBuilder.Build(cloud.Name, image, missing.Plan, missing.Dpr, zone: null, cacheBuster: null, _profile);
        return new ResolvedRequest(url, cloud.Origin, missing.Plan, missing.Dpr, key, missing.VariesByAccept);
    }

    /// <summary>
    /// Verifies the signature when present or required; returns the query without <c>pbs/pbe/pbt</c>, whether the URL
    /// was validly signed, until when, and whether the signature covers the query (a path-only one does not).
    /// </summary>
    private (string Query, bool Signed, DateTimeOffset? Expires, bool QuerySigned) VerifySignature(ImageRequest request, CloudBinding cloud)
    {
        var target = request.RawTarget ?? request.Path;
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var (rawPath, rawQuery) = queryStart < 0 ? (target, string.Empty) : (target[..queryStart], target[(queryStart + 1)..]);
        if (request.Authenticated)
        {
            return (rawQuery, true, null, true);
        }

        var result = SignatureVerifier.Verify(rawPath, rawQuery, _keys, _time, _signing, cloud.Name);
        switch (result.Status)
        {
            case SignatureStatus.Valid:
                var querySigned = result.Variant is not (SignedStringVariant.RawPath or SignedStringVariant.DecodedPath) || result.CleanedQuery.Length == 0;
                return (result.CleanedQuery, true, result.ExpiresAtUnixSeconds is { } seconds ? ExpiryTime(seconds) : null, querySigned);
            case SignatureStatus.Missing when !cloud.RequireSignedUrls:
                return (result.CleanedQuery, false, null, false);
            case SignatureStatus.Missing:
                throw new CdnException(CdnErrorKind.SignatureMissing, "This URL must be signed");
            case SignatureStatus.Expired or SignatureStatus.LifetimeExceeded:
                throw new CdnException(CdnErrorKind.SignatureExpired, "The signed URL has expired");
            default:
                throw new CdnException(CdnErrorKind.SignatureInvalid, "The URL signature is not valid");
        }
    }

    private static CdnException UnknownZone() => new(CdnErrorKind.UnknownZone, "Unknown zone");

    /// <summary>
    /// <c>pbe</c> as a time; past the year 9999 (the JS SDK signs any expiry it is given; the verifier accepts such a pbe written with an exponent, e.g. 1e+300)
    /// it is the latest representable time rather than an overflow.
    /// </summary>
    private static DateTimeOffset ExpiryTime(double unixSeconds) =>
        unixSeconds < DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.UnixEpoch.AddSeconds(unixSeconds) : DateTimeOffset.MaxValue;

    private static CdnUrl Translate(CdnUrl url, Func<string, string>? worker, string query)
    {
        // With no rules the worker path must already be "{pattern}/{filePath}", as Pixelbin's default translate().
        // Rules see the query too (imgix-style options live there), without the signature parameters.
        var translated = worker is null
            ? url.WorkerPath!
            : Guard(() => worker(query.Length == 0 ? url.WorkerPath! : url.WorkerPath + "?" + query), CdnErrorKind.MalformedUrl);
        return Guard(() => CdnUrlSplitter.WithTranslation(url, translated), CdnErrorKind.MalformedUrl);
    }

    /// <summary>
    /// True when the worker's translation with the query reads a file that the one of the path alone does not (another
    /// original, or a merge image), or when the path alone does not translate.
    /// </summary>
    private bool QueryChoosesFiles(CdnUrl untranslated, Func<string, string> worker, CdnUrl translated, RenderPlan plan)
    {
        try
        {
            var pathOnly = Translate(untranslated, worker, string.Empty);
            return pathOnly.FilePath != translated.FilePath
                || !plan.ReferencedFiles.ToHashSet(StringComparer.Ordinal).IsSubsetOf(_plans.GetOrBind(pathOnly.PatternText).ReferencedFiles);
        }
        catch (CdnException)
        {
            return true;
        }
    }

    private PatternSyntax ExpandPresets(PatternSyntax syntax)
    {
        // Plugin "p" is reserved for presets: the expander also reports a malformed p.apply(...) clearly.
        var usesPresets = syntax.HasPresets || syntax.Calls.Any(call => call.Plugin == "p");
        return usesPresets ? Guard(() => _presets.Expand(syntax), CdnErrorKind.InvalidArgument) : syntax;
    }

    private static string? CacheBuster(string? value) => value switch
    {
        null or "" => null,
        { Length: > MaxCacheBusterLength } => throw CdnException.InvalidArgument($"v must be at most {MaxCacheBusterLength} characters"),
        _ => value,
    };

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static T Guard<T>(Func<T> step, CdnErrorKind kind)
    {
        try
        {
            return step();
        }
        catch (CdnUrlException e)
        {
            // A limit is the pattern's, as the grammar's own length and call limits are, also when presets reach it.
            var mapped = e.Code is UrlErrorCode.PatternSyntax or UrlErrorCode.LimitExceeded ? CdnErrorKind.PatternSyntax : kind;
            throw new CdnException(mapped, e.Message, e, e.Column);
        }
    }
}
