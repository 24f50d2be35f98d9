using System.Text.Json.Serialization;

namespace CdnProxy.Server.Http;

/// <summary>The JSON error body.</summary>
/// <param name="Error">The error.</param>
public sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody Error);

/// <summary>One error: stable code, short public message, and the pattern column for syntax errors.</summary>
/// <param name="Code">Machine-readable code, e.g. <c>pattern_syntax</c>.</param>
/// <param name="Message">Short text safe to show.</param>
/// <param name="Column">1-based column in the pattern, when known.</param>
public sealed record ErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("column"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Column);

/// <summary>Source-generated serializer for error bodies.</summary>
[JsonSerializable(typeof(ErrorEnvelope))]
internal sealed partial class ErrorJsonContext : JsonSerializerContext;
