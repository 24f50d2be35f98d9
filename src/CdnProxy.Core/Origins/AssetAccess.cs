namespace CdnProxy.Core.Origins;

/// <summary>Who may read a stored file: anyone, or only holders of a signed URL.</summary>
public enum AssetAccess
{
    /// <summary>Served to anyone (Pixelbin's <c>public-read</c>).</summary>
    PublicRead,

    /// <summary>Served only through a valid signed URL, whatever the cloud's own policy (Pixelbin's <c>private</c>).</summary>
    Private,
}
