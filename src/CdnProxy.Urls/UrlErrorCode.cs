namespace CdnProxy.Urls;

/// <summary>What kind of URL problem a <see cref="CdnUrlException"/> reports.</summary>
public enum UrlErrorCode
{
    /// <summary>The path does not have a valid Pixelbin URL shape (version, cloud, pattern, file path).</summary>
    MalformedUrl,

    /// <summary>The pattern segment does not follow the grammar; <see cref="CdnUrlException.Column"/> says where.</summary>
    PatternSyntax,

    /// <summary>The pattern is longer, or has more calls, than <see cref="Grammar.PatternLimits"/> allows.</summary>
    LimitExceeded,

    /// <summary>
    /// A preset reference cannot be expanded: unknown preset, missing <c>n</c> in <c>p.apply</c>, unknown
    /// argument, or an argument that fails its variable's type check. <see cref="CdnUrlException.Column"/> says where.
    /// </summary>
    Preset,

    /// <summary>
    /// A typed argument value (bounding box, list, base64 file id or nested pattern) is malformed; see
    /// <see cref="Grammar.ValueGrammar"/>. The message never echoes the value.
    /// </summary>
    InvalidValue,
}
