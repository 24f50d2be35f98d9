namespace CdnProxy.Server.Origins;

/// <summary>Start-up checks of one origin (and its fallback). Messages name settings, never their secret values.</summary>
public static class OriginOptionsValidator
{
    /// <summary>Largest accepted <c>MaxBytes</c>: an original is read whole into one array.</summary>
    public const long MaxBytesLimit = 1L << 30;

    public static void Validate(List<string> failures, string path, OriginOptions origin, bool isFallback = false)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(origin);
        switch (origin.Type)
        {
            case OriginTypes.Local:
                ValidateLocal(failures, path, origin);
                break;
            case OriginTypes.S3:
                ValidateS3(failures, path, origin);
                break;
            case OriginTypes.Http:
                ValidateHttp(failures, path, origin);
                break;
            default:
                failures.Add($"{path}:Type '{origin.Type}' is not supported (supported: local, s3, http).");
                break;
        }

        if (origin.MaxBytes <= 0 || origin.MaxBytes > MaxBytesLimit)
        {
            failures.Add($"{path}:MaxBytes must be between 1 and {MaxBytesLimit} (1 GiB).");
        }

        if (!IsDuration(origin.TimeoutSeconds) || !IsDuration(origin.ConnectTimeoutSeconds) || !IsDuration(origin.FirstByteTimeoutSeconds))
        {
            failures.Add($"{path}: TimeoutSeconds, ConnectTimeoutSeconds and FirstByteTimeoutSeconds must be above 0 and at most 300.");
        }

        if (origin.Fallback is { } fallback)
        {
            if (isFallback)
            {
                failures.Add($"{path}:Fallback: a fallback origin cannot have a fallback of its own (one level only).");
            }
            else
            {
                Validate(failures, path + ":Fallback", fallback, isFallback: true);
            }
        }
    }

    private static bool IsDuration(double seconds) => seconds > 0 && seconds <= 300;

    private static void ValidateLocal(List<string> failures, string path, OriginOptions origin)
    {
        if (string.IsNullOrWhiteSpace(origin.Root))
        {
            failures.Add($"{path}:Root is required for a local origin.");
        }
        else if (!Directory.Exists(OriginStoreFactory.ResolveRoot(origin.Root)))
        {
            failures.Add($"{path}:Root '{origin.Root}' does not exist.");
        }
    }

    private static void ValidateS3(List<string> failures, string path, OriginOptions origin)
    {
        if (string.IsNullOrWhiteSpace(origin.Bucket))
        {
            failures.Add($"{path}:Bucket is required for an s3 origin.");
        }

        if (!string.IsNullOrWhiteSpace(origin.ServiceUrl) && !IsPlainHttpUrl(origin.ServiceUrl, out _))
        {
            failures.Add($"{path}:ServiceUrl must be an absolute http(s) URL without user info, query or fragment.");
        }

        if (string.IsNullOrEmpty(origin.AccessKey) != string.IsNullOrEmpty(origin.SecretKey))
        {
            failures.Add($"{path}: AccessKey and SecretKey go together (set both, or neither to use the AWS default credentials).");
        }
    }

    private static void ValidateHttp(List<string> failures, string path, OriginOptions origin)
    {
        if (string.IsNullOrWhiteSpace(origin.BaseUrl))
        {
            failures.Add($"{path}:BaseUrl is required for an http origin.");
            return;
        }

        if (!IsPlainHttpUrl(origin.BaseUrl, out var baseUrl))
        {
            failures.Add($"{path}:BaseUrl must be an absolute http(s) URL without user info, query or fragment.");
            return;
        }

        if (origin.AllowedHosts.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{path}:AllowedHosts must not contain empty entries.");
        }
        else if (!new OriginHostList(origin.AllowedHosts).Allows(baseUrl.IdnHost))
        {
            failures.Add($"{path}:BaseUrl's host '{baseUrl.IdnHost}' is not in AllowedHosts.");
        }
    }

    private static bool IsPlainHttpUrl(string value, out Uri url)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out url!))
        {
            return false;
        }

        return (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && url.UserInfo.Length == 0 && url.Query.Length == 0 && url.Fragment.Length == 0;
    }
}
