namespace CdnProxy.Core.Origins;

/// <summary>The one rule for private files, shared by renditions and files streamed as stored.</summary>
public static class PrivateFiles
{
    /// <summary>Refuses a private file to a request without a valid signature (401 <c>signature_required</c>).</summary>
    public static void EnsureVisible(AssetAccess access, bool hasValidSignature)
    {
        if (access == AssetAccess.Private && !hasValidSignature)
        {
            throw new CdnException(CdnErrorKind.SignatureMissing, "This file is private: it is served only through a signed URL");
        }
    }
}
