using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using CdnProxy.Core;
using CdnProxy.Server.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace CdnProxy.Server.Jobs.Pixble;

/// <summary>
/// Reads a <c>POST /job/new</c> body as Pixble's clients send it: JSON (their curl and JavaScript examples),
/// <c>application/x-www-form-urlencoded</c> (their Python example) or <c>multipart/form-data</c>, each capped at
/// the given number of bytes. Values become text: JSON numbers and booleans as written. <c>data</c> is decoded as it
/// is read (<see cref="PixbleData"/>); in a multipart body it may also be a file part (the image's bytes). A field given
/// twice is a 400.
/// </summary>
public static class PixbleBody
{
    private const int MaxFields = 32;

    public static async Task<PixbleForm> ReadAsync(HttpRequest request, long maxBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = request.ContentType ?? string.Empty;
        if (type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await MultipartAsync(request, maxBody, cancellationToken).ConfigureAwait(false);
        }

        var json = request.HasJsonContentType();
        if (!json && type.Length > 0 && !type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw CdnException.InvalidArgument("The body must be JSON, application/x-www-form-urlencoded or multipart/form-data");
        }

        // curl -d sends JSON as a urlencoded form unless told otherwise: a body that opens with '{' is read as JSON.
        var body = await ReadCappedAsync(request.Body, request.ContentLength, maxBody, cancellationToken).ConfigureAwait(false);
        return json || body.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8)
            ? Json(body)
            : await UrlencodedAsync(body, maxBody, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A urlencoded body. Its <c>data</c> pair, when given once under that name with nothing but ASCII in it, is decoded
    /// in place in the body's bytes and the form reader reads the rest: read as a form value, a 3 MB image's base64
    /// was 10 bytes allocated per byte of body. Anything else goes to the form reader whole, as every body did.
    /// </summary>
    private static async Task<PixbleForm> UrlencodedAsync(ArraySegment<byte> body, long maxBody, CancellationToken cancellationToken)
    {
        if (DataPair(body) is var (start, valueStart, end))
        {
            // The body without the pair (and one '&' beside it): the few other fields.
            var cutFrom = start > 0 && end == body.Count ? start - 1 : start;
            var cutTo = end < body.Count ? end + 1 : end;
            var rest = new byte[body.Count - (cutTo - cutFrom)];
            body.AsSpan(0, cutFrom).CopyTo(rest);
            body.AsSpan(cutTo).CopyTo(rest.AsSpan(cutFrom));
            var others = await ReadFormAsync(new ArraySegment<byte>(rest), MaxFields - 1, maxBody, cancellationToken).ConfigureAwait(false);
            if (!others.ContainsKey("data"))
            {
                var fields = Once(others);
                var value = body.AsSpan(valueStart, end - valueStart);
                return new PixbleForm(fields, PixbleData.FromUtf8(value[..UnescapeInPlace(value)]));
            }
        }

        var form = Once(await ReadFormAsync(body, MaxFields, maxBody, cancellationToken).ConfigureAwait(false));
        PixbleData? data = null;
        if (form.Remove("data", out var text))
        {
            // base64's '+' arrives as a space when a client forgets to URL-encode it; base64 itself never has spaces.
            data = PixbleData.FromText(text.Replace(' ', '+'));
        }

        return new PixbleForm(form, data);
    }

    private static async Task<Dictionary<string, StringValues>> ReadFormAsync(ArraySegment<byte> body, int fields, long maxBody, CancellationToken cancellationToken)
    {
        using var reader = new FormReader(new MemoryStream(body.Array!, body.Offset, body.Count, writable: false)) { ValueCountLimit = fields, ValueLengthLimit = (int)Math.Min(int.MaxValue, maxBody) };
        try
        {
            return await reader.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, "The form has too many fields", e);
        }
    }

    /// <summary>
    /// Where the one pair named <c>data</c> (spelled so) is: its start, its value's start and its end; null when there is
    /// none, more than one, or its value holds a byte outside ASCII or an escape that is not of an ASCII character.
    /// Pairs are found as the form reader finds them: a name runs to the next '=' (across an '&amp;'), a value to the next '&amp;'.
    /// </summary>
    private static (int Start, int ValueStart, int End)? DataPair(ReadOnlySpan<byte> body)
    {
        (int, int, int)? found = null;
        for (var start = 0; start < body.Length;)
        {
            var equals = body[start..].IndexOf((byte)'=');
            if (equals < 0)
            {
                break;
            }

            var valueStart = start + equals + 1;
            var length = body[valueStart..].IndexOf((byte)'&');
            var end = length < 0 ? body.Length : valueStart + length;
            if (body[start..(valueStart - 1)].SequenceEqual("data"u8))
            {
                if (found is not null || !IsAsciiEscaped(body[valueStart..end]))
                {
                    return null;
                }

                found = (start, valueStart, end);
            }

            start = end + 1;
        }

        return found;
    }

    private static bool IsAsciiEscaped(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] >= 0x80 || (value[i] == '%' && (i + 2 >= value.Length || !byte.TryParse(value.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped) || escaped >= 0x80)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Unescapes a form value in place (it only shrinks), as the form reader reads it, then turns spaces into '+' as
    /// <see cref="UrlencodedAsync"/> does: '+' and %20 are '+'. Returns the length.
    /// </summary>
    private static int UnescapeInPlace(Span<byte> value)
    {
        var written = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b == '%')
            {
                b = byte.Parse(value.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                i += 2;
            }

            value[written++] = b == ' ' ? (byte)'+' : b;
        }

        return written;
    }

    private static async Task<PixbleForm> MultipartAsync(HttpRequest request, long maxBody, CancellationToken cancellationToken)
    {
        // The framework's defaults (4 MB per value) are below a base64 image the jobs accept.
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            ValueLengthLimit = (int)Math.Min(int.MaxValue, maxBody),
            MultipartBodyLengthLimit = maxBody,
            ValueCountLimit = MaxFields,
        }));
        var form = await FormBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);

        var fields = Once(form);
        if (form.Files.GetFile("data") is { } file)
        {
            if (form.Files.GetFiles("data").Count > 1 || fields.ContainsKey("data"))
            {
                throw CdnException.InvalidArgument("data is given twice");
            }

            // The bytes are the image: one array of the file's length, not a base64 string to decode again.
            var image = await FormBody.ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
            return new PixbleForm(fields, PixbleData.FromBytes(image));
        }

        return PixbleForm.FromText(fields);
    }

    /// <summary>
    /// The form's fields, each given once: a field given twice (two keys, two images, two settings) is a 400, as a
    /// property named twice in the JSON body is. The last one was taken silently, so a form with a wrong key and then a
    /// valid one passed, where two different keys in the headers are refused.
    /// </summary>
    private static Dictionary<string, string> Once(IEnumerable<KeyValuePair<string, StringValues>> form) =>
        form.ToDictionary(
            f => f.Key,
            f => f.Value.Count > 1 ? throw CdnException.InvalidArgument($"{f.Key} is given twice") : f.Value.LastOrDefault() ?? string.Empty,
            StringComparer.Ordinal);

    /// <summary>
    /// The JSON body's fields, read from the body's bytes in place (a document over them, not a copy), <c>data</c>
    /// decoded from its UTF-8 without becoming a string. Checked as before: well-formed with no property twice, an
    /// object, at most <see cref="MaxFields"/> fields, each a string, number or boolean (null: left out).
    /// </summary>
    private static PixbleForm Json(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, RequestJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new CdnException(CdnErrorKind.InvalidArgument, "The body must be JSON", e);
        }

        using (document)
        {
            var json = document.RootElement;
            if (json.ValueKind != JsonValueKind.Object)
            {
                throw CdnException.InvalidArgument("The body must be a JSON object");
            }

            if (json.GetPropertyCount() > MaxFields)
            {
                throw CdnException.InvalidArgument($"The body has more than {MaxFields} fields");
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            PixbleData? data = null;
            foreach (var property in json.EnumerateObject())
            {
                var value = property.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.Null:
                        continue; // a JSON null is the same as leaving the field out
                    case JsonValueKind.String when property.NameEquals("data"u8):
                        data = DataOf(value);
                        break;
                    case JsonValueKind.String:
                        fields[property.Name] = value.GetString()!;
                        break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False when property.NameEquals("data"u8):
                        data = PixbleData.FromText(value.GetRawText());
                        break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        fields[property.Name] = value.GetRawText();
                        break;
                    default:
                        throw CdnException.InvalidArgument($"{property.Name} must be a string, number or boolean");
                }
            }

            return new PixbleForm(fields, data);
        }
    }

    /// <summary>
    /// <c>data</c> from the JSON string's bytes as they sit in the body; an escaped string (<c>\/</c>, <c>\n</c>) is
    /// unescaped into a pooled buffer first.
    /// </summary>
    private static PixbleData? DataOf(JsonElement value)
    {
        var quoted = JsonMarshal.GetRawUtf8Value(value);
        var raw = quoted[1..^1];
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return PixbleData.FromUtf8(raw);
        }

        var unescaped = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var reader = new Utf8JsonReader(quoted);
            reader.Read();
            var length = reader.CopyString(unescaped);
            return PixbleData.FromUtf8(unescaped.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(unescaped);
        }
    }

    /// <summary>
    /// The body whole, within <paramref name="maxBody"/>: in one array of its declared length, else in a growing buffer.
    /// A growing buffer holds up to twice the body (and a copy while it grows).
    /// </summary>
    private static async Task<ArraySegment<byte>> ReadCappedAsync(Stream body, long? declared, long maxBody, CancellationToken cancellationToken)
    {
        if (declared is { } length && length <= maxBody)
        {
            var bytes = new byte[length];
            var filled = await body.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled == bytes.Length && await body.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
            {
                throw TooLarge();
            }

            return new ArraySegment<byte>(bytes, 0, filled);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBody)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static CdnException TooLarge() => new(CdnErrorKind.UploadTooLarge, "The body is larger than this server accepts");
}

/// <summary>A Pixble body's text fields and its <c>data</c> (null when not given or blank), each given once.</summary>
public sealed record PixbleForm(IReadOnlyDictionary<string, string> Fields, PixbleData? Data)
{
    /// <summary>Text fields (a form's, or a test's) whose <c>data</c>, if any, is base64 text.</summary>
    public static PixbleForm FromText(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = fields.Where(f => f.Key != "data").ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        return new PixbleForm(text, PixbleData.FromText(fields.GetValueOrDefault("data")));
    }
}
