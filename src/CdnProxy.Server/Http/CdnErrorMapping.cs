namespace CdnProxy.Server.Http;

/// <summary>How one kind of failure is answered and logged.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Code">Stable machine-readable code in the JSON body.</param>
/// <param name="LogLevel">How loudly to log it.</param>
public sealed record CdnErrorMapping(int Status, string Code, LogLevel LogLevel);
