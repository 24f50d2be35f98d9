using CdnProxy.Server.Origins;
using Microsoft.Extensions.Options;

namespace CdnProxy.Server.Hosting;

/// <summary>Cross-field checks run at start-up, so a bad configuration stops the process with a clear message.</summary>
public sealed class CdnProxyOptionsValidator : IValidateOptions<CdnProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, CdnProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Clouds.Count == 0)
        {
            failures.Add("CdnProxy:Clouds must define at least one cloud.");
        }

        foreach (var (cloud, settings) in options.Clouds)
        {
            var origin = settings.Origin;
            if (origin.Type != "local")
            {
                failures.Add($"CdnProxy:Clouds:{cloud}:Origin:Type '{origin.Type}' is not supported (supported: local).");
            }
            else if (string.IsNullOrWhiteSpace(origin.Root))
            {
                failures.Add($"CdnProxy:Clouds:{cloud}:Origin:Root is required for a local origin.");
            }
            else if (!Directory.Exists(ConfiguredOriginResolver.ResolveRoot(origin.Root)))
            {
                failures.Add($"CdnProxy:Clouds:{cloud}:Origin:Root '{origin.Root}' does not exist.");
            }

            if (origin.MaxBytes <= 0)
            {
                failures.Add($"CdnProxy:Clouds:{cloud}:Origin:MaxBytes must be positive.");
            }
        }

        if (options.Cache.Memory.MaxBytes < 0)
        {
            failures.Add("CdnProxy:Cache:Memory:MaxBytes must be 0 (off) or positive.");
        }

        if (options.Vips.Concurrency < 1)
        {
            failures.Add("CdnProxy:Vips:Concurrency must be at least 1.");
        }

        if (options.Render.Workers < 0 || options.Render.QueueLimit < 0)
        {
            failures.Add("CdnProxy:Render:Workers and QueueLimit must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
