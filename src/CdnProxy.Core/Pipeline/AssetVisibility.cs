using CdnProxy.Core.Origins;

namespace CdnProxy.Core.Pipeline;

/// <summary>Who may see what a private file yields (renditions, info): only signed URLs and authenticated callers.</summary>
public static class AssetVisibility
{
    public static void Ensure(AssetAccess access, bool authorised)
    {
        if (access == AssetAccess.Private && !authorised)
        {
            throw new CdnException(CdnErrorKind.SignatureMissing, "This file is private: it is served only through a signed URL");
        }
    }
}
