using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CdnProxy.Urls.Client.Uploads;

/// <summary>
/// Uploads files to a CdnProxy server the way the Pixelbin SDK's <c>uploader.upload</c> does: ask for a signed upload
/// (<c>POST /api/v1/upload/signed-url</c>, with the API key), send the file in parts (to the server's signed chunk URL,
/// or straight to S3 through presigned URLs) with <see cref="UploadOptions.Concurrency"/> parts in flight, each retried
/// up to <see cref="UploadOptions.MaxRetries"/> times with exponential back-off, then complete it with one call.
/// Memory stays at about <c>Concurrency × ChunkSize</c> whatever the file's size.
/// </summary>
public sealed class Uploader
{
    private readonly ApiConnection _api;

    /// <summary>Creates an uploader for <paramref name="server"/> (e.g. <c>https://img.example.com</c>).</summary>
    /// <param name="http">The client to send with (its handler decides proxies, TLS...).</param>
    /// <param name="server">The CdnProxy server's base URL.</param>
    /// <param name="apiKey">An API key of the server (<c>CdnProxy:Api:Keys</c>, or <c>CdnProxy:Api:CloudKeys</c> for the clouds it lists).</param>
    /// <param name="time">The clock of the retry back-off; the system clock when null.</param>
    public Uploader(HttpClient http, Uri server, string apiKey, TimeProvider? time = null)
    {
        _api = new ApiConnection(http, server, apiKey, time);
    }

    /// <summary>Uploads <paramref name="file"/> (read from its current position to its end) and returns the stored file.</summary>
    /// <param name="file">The bytes; a seekable stream lets the server check the size first (S3 clouds need it).</param>
    /// <param name="arguments">Where and how to store it.</param>
    /// <param name="options">Chunk size, retries, concurrency; the SDK's defaults when null.</param>
    /// <param name="progress">Told after every acknowledged part.</param>
    /// <param name="cancellationToken">Stops the upload (the session stays until it expires and can be resumed).</param>
    /// <returns>The server's answer for the stored file.</returns>
    /// <exception cref="ArgumentException">The name or a tag is one the server would refuse or store otherwise (<see cref="UploadFieldRules"/>); nothing was sent.</exception>
    public async Task<UploadedFile> UploadAsync(
        Stream file, UploadArguments arguments, UploadOptions? options = null, IProgress<UploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        long? size = file.CanSeek ? file.Length - file.Position : null;
        var upload = await CreateSignedUploadAsync(arguments, size, cancellationToken).ConfigureAwait(false);
        return await SendAsync(upload, file, size, options ?? new UploadOptions(), new Dictionary<int, string?>(), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the server for a signed upload (Pixelbin's <c>createSignedUrlV2</c>).</summary>
    /// <param name="arguments">Where and how to store the file.</param>
    /// <param name="size">The file's size, when known (required by S3 clouds).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed upload; keep it to resume.</returns>
    /// <exception cref="ArgumentException">The name or a tag is one the server would refuse or store otherwise (<see cref="UploadFieldRules"/>); nothing was sent.</exception>
    public async Task<SignedUpload> CreateSignedUploadAsync(UploadArguments arguments, long? size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if ((UploadFieldRules.NameRefusal(arguments.Name, "UploadArguments.Name") ?? UploadFieldRules.TagsRefusal(arguments.Tags ?? [], "A tag of UploadArguments.Tags")) is { } refusal)
        {
            throw new ArgumentException(refusal, nameof(arguments));
        }

        var body = new JsonObject
        {
            ["cloud"] = arguments.Cloud,
            ["zone"] = arguments.Zone,
            ["name"] = arguments.Name,
            ["path"] = arguments.Path,
            ["format"] = arguments.Format,
            ["access"] = arguments.Access,
            ["tags"] = arguments.Tags is null ? null : new JsonArray([.. arguments.Tags.Select(t => JsonValue.Create(t))]),
            ["metadata"] = arguments.Metadata?.DeepClone(),
            ["overwrite"] = arguments.Overwrite,
            ["filenameOverride"] = arguments.FilenameOverride,
            ["expiry"] = arguments.Expiry,
            ["size"] = size,
        };
        using var request = _api.Request(HttpMethod.Post, "api/v1/upload/signed-url");
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _api.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(UploaderJsonContext.Default.SignedUpload, cancellationToken).ConfigureAwait(false)
            ?? throw new UploadException("The server answered an empty signed upload.");
    }

    /// <summary>
    /// Continues an interrupted upload: asks the server which parts it has, sends the others (the file is read from
    /// its start; parts already received are skipped) and completes it. S3 clouds list their parts through the server.
    /// </summary>
    /// <param name="upload">The signed upload <see cref="CreateSignedUploadAsync"/> returned.</param>
    /// <param name="file">The same file, positioned at its start.</param>
    /// <param name="options">Chunk size (the same as before), retries, concurrency.</param>
    /// <param name="progress">Told after every acknowledged part.</param>
    /// <param name="cancellationToken">Stops the upload.</param>
    /// <returns>The server's answer for the stored file.</returns>
    public async Task<UploadedFile> ResumeAsync(
        SignedUpload upload, Stream file, UploadOptions? options = null, IProgress<UploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(file);
        using var response = await _api.Http.GetAsync(new Uri(upload.PresignedUrl.Url), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var done = new Dictionary<int, string?>();
        foreach (var part in status?["parts"]?.AsArray() ?? [])
        {
            done[(int?)part?["partNumber"] ?? 0] = (string?)part?["eTag"] ?? (string?)part?["etag"];
        }

        long? size = file.CanSeek ? file.Length - file.Position : null;
        return await SendAsync(upload, file, size, options ?? new UploadOptions(), done, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<UploadedFile> SendAsync(
        SignedUpload upload, Stream file, long? size, UploadOptions options, Dictionary<int, string?> alreadyDone, IProgress<UploadProgress>? progress, CancellationToken cancellationToken)
    {
        if (options.ChunkSize < 1 || options.Concurrency < 1 || options.MaxRetries < 0 || options.ExponentialFactor < 1)
        {
            throw new ArgumentException("ChunkSize and Concurrency must be at least 1, MaxRetries at least 0, ExponentialFactor at least 1.", nameof(options));
        }

        var chunkSize = upload.Parts is null ? options.ChunkSize : upload.ChunkSize;
        var state = new SendState(size, progress);
        var parts = new List<(int Number, string? ETag)>();
        var inFlight = new List<Task<(int Number, string? ETag)>>();
        using var slots = new SemaphoreSlim(options.Concurrency);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            for (var number = 1; ; number++)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
                var read = await file.ReadAtLeastAsync(buffer.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, failed.Token).ConfigureAwait(false);
                if (read == 0 && number > 1)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                if (alreadyDone.TryGetValue(number, out var etag))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    parts.Add((number, etag));
                    state.Acknowledge(read);
                }
                else
                {
                    await slots.WaitAsync(failed.Token).ConfigureAwait(false);
                    inFlight.Add(SendPartAsync(upload, number, buffer, read, options, state, slots, failed));
                }

                if (read < chunkSize)
                {
                    break;
                }
            }

            parts.AddRange(await Task.WhenAll(inFlight).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && inFlight.Any(t => t.IsFaulted))
        {
            // A part failed for good: report its failure, not the cancellation it caused.
            await Task.WhenAll(inFlight).ConfigureAwait(false);
            throw;
        }

        return await CompleteAsync(upload, [.. parts.OrderBy(p => p.Number)], cancellationToken).ConfigureAwait(false);
    }

    private async Task<(int Number, string? ETag)> SendPartAsync(
        SignedUpload upload, int number, byte[] buffer, int length, UploadOptions options, SendState state, SemaphoreSlim slots, CancellationTokenSource failed)
    {
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var etag = await PutPartAsync(upload, number, buffer, length, failed.Token).ConfigureAwait(false);
                    state.Acknowledge(length);
                    return (number, etag);
                }
                catch (Exception e) when (attempt < options.MaxRetries && ApiConnection.IsTransient(e, (e as UploadException)?.Status, failed.Token))
                {
                    state.Retried();
                    var delay = options.RetryDelay * Math.Pow(options.ExponentialFactor, attempt);
                    await Task.Delay(delay, _api.Time, failed.Token).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            slots.Release();
        }
    }

    private async Task<string?> PutPartAsync(SignedUpload upload, int number, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        var presigned = upload.Parts?.FirstOrDefault(p => p.PartNumber == number);
        if (upload.Parts is not null && presigned is null)
        {
            throw new UploadException($"The file has more parts than the {upload.Parts.Count} the server presigned (is it larger than the size given?).");
        }

        var url = presigned?.Url ?? upload.PresignedUrl.Url + (upload.PresignedUrl.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?")
            + "partNumber=" + number.ToString(CultureInfo.InvariantCulture);
        using var content = new ByteArrayContent(buffer, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(url)) { Content = content };
        using var response = await _api.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return response.Headers.ETag?.Tag;
    }

    private async Task<UploadedFile> CompleteAsync(SignedUpload upload, IReadOnlyList<(int Number, string? ETag)> parts, CancellationToken cancellationToken)
    {
        var list = new JsonArray();
        foreach (var (number, etag) in parts)
        {
            list.Add(upload.Parts is null ? JsonValue.Create(number) : new JsonObject { ["partNumber"] = number, ["etag"] = etag });
        }

        var body = new JsonObject { ["parts"] = list };
        foreach (var (key, value) in upload.PresignedUrl.Fields)
        {
            body[key] = value;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upload.PresignedUrl.Url))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await _api.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject
            ?? throw new UploadException("The server's answer is not a JSON object.");
        return new UploadedFile(json);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new UploadException((int)response.StatusCode, ApiConnection.ErrorBody(body));
        }
    }

    /// <summary>Progress shared by the parts in flight.</summary>
    private sealed class SendState(long? total, IProgress<UploadProgress>? progress)
    {
        private readonly Lock _reporting = new();
        private long _bytes;
        private int _parts;
        private int _retries;

        /// <summary>
        /// Counts a part and reports, one part at a time: parts acknowledged together would otherwise report out of
        /// order, and a progress bar could go back, or end short of the whole file.
        /// </summary>
        public void Acknowledge(long bytes)
        {
            lock (_reporting)
            {
                _bytes += bytes;
                _parts++;
                progress?.Report(new UploadProgress(_bytes, total, _parts, Volatile.Read(ref _retries)));
            }
        }

        public void Retried() => Interlocked.Increment(ref _retries);
    }
}
