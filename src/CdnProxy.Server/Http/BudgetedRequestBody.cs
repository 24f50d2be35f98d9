namespace CdnProxy.Server.Http;

/// <summary>
/// Puts a request whose body is read into memory under the <see cref="RequestBodyBudget"/>: its declared length is
/// charged before a byte is read, and every read past what was charged charges the rest. A refusal (429, 503) carries when
/// to retry (<see cref="RequestBodyBudget.RetryAfterSeconds"/>), which every face's error answer sends.
/// </summary>
internal static class BudgetedRequestBody
{
    /// <summary>
    /// A lease for the request's body, held until disposed; the request's body is replaced by one that charges it.
    /// <paramref name="maxBody"/> is the body cap: a longer declared length is charged only up to it, as its read fails (413).
    /// </summary>
    public static RequestBodyBudget.Lease Enter(HttpContext context, string partition, long maxBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        var lease = context.RequestServices.GetRequiredService<RequestBodyBudget>().Enter(partition, 0);
        try
        {
            lease.Charge(Math.Min(context.Request.ContentLength ?? 0, maxBody));
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        context.Request.Body = new ChargingStream(context.Request.Body, lease);
        return lease;
    }

    /// <summary>The body as read, each read charged to the lease (which refuses what does not fit).</summary>
    private sealed class ChargingStream(Stream body, RequestBodyBudget.Lease lease) : ReadOnlyStream
    {
        private long _read;

        public override int Read(Span<byte> buffer) => Counted(body.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        private int Counted(int read)
        {
            _read += read;
            lease.Charge(_read);
            return read;
        }
    }
}
