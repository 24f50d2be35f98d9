using CdnProxy.Core.Jobs;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>Jobs stored by tests with no bound on their owner's jobs in flight.</summary>
internal static class JobStoreCreation
{
    /// <summary><see cref="IJobStore.CreateWithinAsync"/> with no bound; false when the idempotency key was taken.</summary>
    public static async Task<bool> CreateAsync(this IJobStore store, JobRecord job, string? idempotencyKey, string? bodyHash, DateTimeOffset idempotencyExpires, CancellationToken cancellationToken) =>
        await store.CreateWithinAsync(job, int.MaxValue, idempotencyKey, bodyHash, idempotencyExpires, cancellationToken) == JobCreation.Created;
}
