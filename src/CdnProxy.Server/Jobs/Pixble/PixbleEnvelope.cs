using System.Text.Json.Nodes;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Pixble's answer around every result and error: <c>error_code</c>, <c>error_message</c> (empty on success),
/// <c>status</c> (true when the request succeeded), <c>result</c> and <c>timestamp</c> (Unix milliseconds).
/// </summary>
public static class PixbleEnvelope
{
    public static JsonObject Success(JsonNode result, TimeProvider time) => Build(string.Empty, string.Empty, true, result, time);

    /// <summary>An error: our public code (the HTTP status comes from <c>CdnErrorMapper</c>) and a short public message.</summary>
    public static JsonObject Error(string code, string message, TimeProvider time) => Build(code, message, false, null, time);

    private static JsonObject Build(string code, string message, bool status, JsonNode? result, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new JsonObject
        {
            ["error_code"] = code,
            ["error_message"] = message,
            ["status"] = status,
            ["result"] = result,
            ["timestamp"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }
}
