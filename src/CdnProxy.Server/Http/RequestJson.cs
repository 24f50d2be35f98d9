using System.Text.Json;
using System.Text.Json.Nodes;

namespace CdnProxy.Server.Http;

/// <summary>
/// How JSON request bodies read as nodes are parsed: a property named twice in one object is refused. JSON leaves
/// its meaning open, and System.Text.Json's nodes fail on it only when first read — after the body was stored, so a
/// stored job whose data repeated a key failed every later search of its owner's jobs.
/// </summary>
internal static class RequestJson
{
    public static JsonDocumentOptions DocumentOptions { get; } = new() { AllowDuplicateProperties = false };

    /// <summary>Parses <paramref name="utf8"/>; throws <see cref="JsonException"/> for invalid JSON or a repeated property.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8) => JsonNode.Parse(utf8, documentOptions: DocumentOptions);
}
