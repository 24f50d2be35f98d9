using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CdnProxy.Core;

namespace CdnProxy.Server.Http;

/// <summary>
/// How JSON request bodies read as nodes are parsed: a property named twice in one object is refused. JSON leaves
/// its meaning open, and System.Text.Json's nodes fail on it only when first read — after the body was stored, so a
/// stored job whose data repeated a key failed every later search of its owner's jobs.
/// </summary>
internal static class RequestJson
{
    public static JsonDocumentOptions DocumentOptions { get; } = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Reads the body as <typeparamref name="T"/>; a 400 otherwise, naming the field when well-formed JSON held a
    /// value of the wrong type or range (<c>{"expiry":1.5}</c>), or saying "The body must be JSON" and then <paramref name="shape"/>.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, string shape = "")
    {
        try
        {
            return await context.Request.ReadFromJsonAsync(type, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e) when (WrongTypeField(e) is { } field)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, $"'{field}' has a value of the wrong type or out of its range", e);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, "The body must be JSON" + shape, e);
        }
    }

    /// <summary>
    /// The top-level field whose value well-formed JSON could not convert, or null. A conversion error wraps the
    /// converter's <see cref="InvalidOperationException"/> (another JSON type) or <see cref="FormatException"/> (a
    /// number it cannot hold); a syntax error wraps the reader's own exception, and a repeated property wraps nothing.
    /// </summary>
    private static string? WrongTypeField(JsonException e) =>
        e.InnerException is InvalidOperationException or FormatException && e.Path is { } path && path.StartsWith("$.", StringComparison.Ordinal) && path.Length > 2
            ? path[2..]
            : null;
}
