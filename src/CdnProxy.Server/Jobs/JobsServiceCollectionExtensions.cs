using System.Runtime.CompilerServices;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Hosting;
using CdnProxy.Server.Http;
using CdnProxy.Server.Jobs.Predictions;
using CdnProxy.Server.Jobs.Pixble;
using CdnProxy.Server.Jobs.SixPx;
using CdnProxy.Server.Jobs.Stores;
using CdnProxy.Server.Origins.Http;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Jobs;

/// <summary>The job rate limit, apart from the uploads' (its own budget per API key).</summary>
public sealed class JobRateLimiter(JobsOptions options) : IDisposable
{
    public UploadRateLimiter Limiter { get; } = new(options.RequestsPerMinute);

    public void Dispose() => Limiter.Dispose();
}

/// <summary>Composition of the job engine and its faces (docs/jobs.md).</summary>
public static class JobsServiceCollectionExtensions
{
    public static IServiceCollection AddCdnProxyJobs(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var cdn = sp.GetRequiredService<CdnProxyOptions>();
            var jobs = cdn.Jobs;
            if (jobs.DataDirectory.Length == 0)
            {
                jobs.DataDirectory = Path.Combine(cdn.DataDirectory, "jobs");
            }

            return jobs;
        });
        services.AddSingleton(sp => CreateStore(sp.GetRequiredService<JobsOptions>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<JobsOptions>();
            return new JobRunnerOptions
            {
                Workers = options.Workers,
                Lease = TimeSpan.FromSeconds(options.LeaseSeconds),
                PollInterval = TimeSpan.FromMilliseconds(options.PollMilliseconds),
                JobTimeout = TimeSpan.FromSeconds(options.JobTimeoutSeconds),
            };
        });
        services.AddSingleton<JobRunner>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<JobsOptions>();
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(options.AllowPrivateNetworks ? OriginHttpClients.PrivateAllowed : OriginHttpClients.PublicOnly);
            return new WebhookDispatcher(
                sp.GetRequiredService<IJobStore>(),
                http,
                options.WebhookSecret.Length > 0 ? new WebhookSigner(options.WebhookSecret) : null,
                sp.GetServices<IJobView>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<WebhookDispatcher>>());
        });
        services.AddSingleton<JobSubmission>();
        services.AddSingleton<JobRetention>();
        services.AddSingleton<JobRateLimiter>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<JobsOptions>();
            return new RequestBodyBudget(options.MaxBufferedBodyBytes, options.LargeBodyBytes, options.MaxLargeBodiesPerKey);
        });
        services.AddSingleton<JobInputs>();
        services.AddSingleton<JobOutputs>();
        services.AddSingleton<JobRenderer>();
        services.AddSingleton<IJobHandler, SixPxJobHandler>();
        services.AddSingleton<SixPxJobView>();
        services.AddSingleton<IJobView>(sp => sp.GetRequiredService<SixPxJobView>());
        services.AddPredictions();
        services.AddSingleton<IJobHandler, PixbleJobHandler>();
        services.AddSingleton<IJobView, PixbleJobView>();
        return services;
    }

    /// <summary>Maps the job faces when jobs are enabled (they also need API keys: 404 without).</summary>
    public static IEndpointRouteBuilder MapCdnProxyJobs(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetRequiredService<JobsOptions>().Enabled)
        {
            endpoints.MapSixPxJobs();
            endpoints.MapPredictions();
            endpoints.MapPixbleJobs();
        }

        return endpoints;
    }

    private static IJobStore CreateStore(JobsOptions options) => options.Store == "postgres"
        ? CreatePostgresStore(options.PostgresConnectionString)
        : new SqliteJobStore(Path.Combine(options.DataDirectory, "jobs.db"));

    // Separate and never inlined: compiling CreateStore must not load the PostgreSQL client on a replica using SQLite.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static PostgresJobStore CreatePostgresStore(string connectionString) => new(connectionString);
}
