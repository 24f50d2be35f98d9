using CdnProxy.Server.Http;

namespace CdnProxy.Server.Uploads;

/// <summary>A read-only stream of some bytes already read (to sniff them) followed by the rest of the original stream.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.IsEmpty)
        {
            return rest.Read(buffer);
        }

        var read = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..read].CopyTo(buffer);
        _prefix = _prefix[read..];
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.IsEmpty)
        {
            return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return Read(buffer.Span);
    }
}
