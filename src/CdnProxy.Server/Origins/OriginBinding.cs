using CdnProxy.Core.Origins;

namespace CdnProxy.Server.Origins;

/// <summary>What an origin kind builds: the reader every origin has, and a writer when it is writable.</summary>
/// <param name="Reader">Reads originals.</param>
/// <param name="Writer">Stores files; null for read-only origins.</param>
public sealed record OriginBinding(IOriginStore Reader, IOriginWriter? Writer = null);
