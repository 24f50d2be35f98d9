namespace CdnProxy.Server.Jobs;

/// <summary>Batch jobs (docs/jobs.md), bound from <c>CdnProxy:Jobs</c>.</summary>
public sealed class JobsOptions
{
    /// <summary>Map the job APIs and run workers. They also need API keys (<c>CdnProxy:Api:Keys</c> or <c>CdnProxy:Api:CloudKeys</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>sqlite</c> (embedded, one process) or <c>postgres</c> (replicas share it).</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>Folder of the SQLite file <c>jobs.db</c>; empty: <c>{CdnProxy:DataDirectory}/jobs</c>.</summary>
    public string DataDirectory { get; set; } = string.Empty;

    /// <summary>Npgsql connection string when <see cref="Store"/> is <c>postgres</c>.</summary>
    public string PostgresConnectionString { get; set; } = string.Empty;

    /// <summary>Jobs one replica runs at once.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Lease of a claimed job; a dead replica's jobs are picked up by others after it.</summary>
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often idle workers and the webhook sender look for work.</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Longest run of one job.</summary>
    public int JobTimeoutSeconds { get; set; } = 300;

    /// <summary>Most inputs of one job.</summary>
    public int MaxInputs { get; set; } = 10;

    /// <summary>Most output files of one job (every ref of every output counts).</summary>
    public int MaxOutputs { get; set; } = 20;

    /// <summary>Largest input (downloaded or data URI), in bytes.</summary>
    public long MaxInputBytes { get; set; } = 25_000_000;

    /// <summary>Most jobs one API key may have pending or processing at once; more: 429 <c>too_many_jobs</c>.</summary>
    public int MaxActiveJobsPerKey { get; set; } = 100;

    /// <summary>Job API calls per API key per minute (a fixed window in each replica); 0: unlimited.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// Bytes of job-creation bodies this replica reads into memory at once (each is held a few times over while
    /// parsed and decoded); a body that does not fit is 503 <c>overloaded</c>. 0: no budget.
    /// </summary>
    public long MaxBufferedBodyBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>A job-creation body over this many bytes is large: <see cref="MaxLargeBodiesPerKey"/> bounds them.</summary>
    public long LargeBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Large job-creation bodies one API key (or client address) may send at once; more: 429 <c>rate_limited</c>. 0: no limit.</summary>
    public int MaxLargeBodiesPerKey { get; set; } = 2;

    /// <summary>
    /// Days a job is kept after it ended, with the files it keeps in the jobs cloud (<c>jobs/{id}/</c>); then both are
    /// deleted (hourly). 0: kept until deleted. Outputs written to a destination are the caller's and always stay.
    /// </summary>
    public int RetentionDays { get; set; }

    /// <summary>How long an <c>Idempotency-Key</c> is remembered, in hours.</summary>
    public int IdempotencyHours { get; set; } = 24;

    /// <summary>Standard Webhooks secret (<c>whsec_</c> + base64 of at least 16 bytes); without it, callbacks are refused.</summary>
    public string WebhookSecret { get; set; } = string.Empty;

    /// <summary>Let inputs and callbacks reach loopback and private addresses (tests, private networks).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The writable cloud that keeps downloaded inputs and the outputs without a destination (served by the CDN).</summary>
    public string Cloud { get; set; } = "uploads";

    /// <summary>The top folder of <see cref="Cloud"/> holding each job's files (<c>jobs/{id}/inputs</c>, <c>/outputs</c>); the asset and upload APIs cannot see or write it.</summary>
    public const string FilesFolder = "jobs";

    /// <summary>Endpoint for <c>s3://key:secret@bucket/path</c> destinations; empty: AWS in <see cref="S3Region"/>.</summary>
    public string S3ServiceUrl { get; set; } = string.Empty;

    /// <summary>Region of <c>s3://</c> destinations.</summary>
    public string S3Region { get; set; } = "us-east-1";

    /// <summary>Named destinations (6px's masked connection strings): name → an <c>s3://</c> or <c>cloud://</c> URL.</summary>
    public Dictionary<string, string> Destinations { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The largest body a job face accepts (Pixble's form of a base64 image at <see cref="MaxInputBytes"/>).</summary>
    public long LargestBody() => Pixble.PixbleEndpoints.MaxBody(this);

    /// <summary>Adds a start-up failure for every invalid setting.</summary>
    public void Validate(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        const string at = "CdnProxy:Jobs:";
        if (Store is not ("sqlite" or "postgres"))
        {
            failures.Add(at + "Store must be sqlite or postgres.");
        }

        if (Store == "postgres" && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            failures.Add(at + "PostgresConnectionString is required when Store is postgres.");
        }

        Positive(failures, at + "Workers", Workers, 64);
        Positive(failures, at + "LeaseSeconds", LeaseSeconds, 3600);
        Positive(failures, at + "PollMilliseconds", PollMilliseconds, 60_000);
        Positive(failures, at + "JobTimeoutSeconds", JobTimeoutSeconds, 86_400);
        Positive(failures, at + "MaxInputs", MaxInputs, 1000);
        Positive(failures, at + "MaxOutputs", MaxOutputs, 1000);
        Positive(failures, at + "MaxActiveJobsPerKey", MaxActiveJobsPerKey, 1_000_000);
        Positive(failures, at + "IdempotencyHours", IdempotencyHours, 24 * 30);
        if (MaxInputBytes is < 1 or > 1_000_000_000)
        {
            failures.Add(at + "MaxInputBytes must be between 1 and 1000000000.");
        }

        // The budget must hold the largest body a job face accepts, or that body could never be read.
        if (MaxBufferedBodyBytes != 0 && MaxBufferedBodyBytes < LargestBody())
        {
            failures.Add($"{at}MaxBufferedBodyBytes must be 0 (no budget) or at least {LargestBody()}, the largest job body MaxInputBytes allows.");
        }

        if (LargeBodyBytes < 1)
        {
            failures.Add(at + "LargeBodyBytes must be 1 or more.");
        }

        if (MaxLargeBodiesPerKey is < 0 or > 1_000_000)
        {
            failures.Add(at + "MaxLargeBodiesPerKey must be 0 (no limit) to 1000000.");
        }

        if (RetentionDays is < 0 or > 36_500)
        {
            failures.Add(at + "RetentionDays must be 0 (kept until deleted) to 36500.");
        }

        if (RequestsPerMinute < 0)
        {
            failures.Add(at + "RequestsPerMinute must be 0 (unlimited) or more.");
        }

        if (WebhookSecret.Length > 0 && Core.Jobs.WebhookSigner.Decode(WebhookSecret) is null)
        {
            failures.Add(at + "WebhookSecret must be whsec_ followed by base64 of at least 16 bytes (e.g. whsec_$(openssl rand -base64 32)).");
        }

        if (S3ServiceUrl.Length > 0 && !Uri.TryCreate(S3ServiceUrl, UriKind.Absolute, out _))
        {
            failures.Add(at + "S3ServiceUrl must be an absolute URL.");
        }

        foreach (var (name, url) in Destinations)
        {
            if (JobDestination.TryParse(url, out _) is { } problem)
            {
                failures.Add($"{at}Destinations:{name}: {problem}");
            }
        }
    }

    private static void Positive(List<string> failures, string name, long value, long max)
    {
        if (value < 1 || value > max)
        {
            failures.Add($"{name} must be between 1 and {max}.");
        }
    }
}
