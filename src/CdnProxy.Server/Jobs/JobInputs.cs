using System.Text.Json.Nodes;
using CdnProxy.Core;
using CdnProxy.Server.Jobs.SixPx;
using CdnProxy.Server.Origins.Http;
using CdnProxy.Server.Uploads;

namespace CdnProxy.Server.Jobs;

/// <summary>A job input ready to render: a file of a cloud, read through the render core like any URL's original.</summary>
public sealed record RenderSource(string Cloud, string FilePath);

/// <summary>
/// Makes job inputs renderable: a <c>cloud://</c> file is used in place; an http(s) URL (fetched under the origins'
/// SSRF policy: public addresses only unless <c>Jobs:AllowPrivateNetworks</c>, no redirects) or a data URI is
/// stored in the jobs cloud, through the upload path (sniffed, header-checked, capped at <c>Jobs:MaxInputBytes</c>).
/// </summary>
public sealed class JobInputs(UploadService uploads, IHttpClientFactory clients, JobsOptions options)
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The URL path that checks <paramref name="pattern"/> on <paramref name="input"/> before a job is stored: a
    /// <c>cloud://</c> file's own path (its cloud's rules apply), else a stand-in file of the jobs cloud.
    /// </summary>
    public static string CheckPath(JobInput input, string pattern, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        if (input.Kind != JobInputKind.Cloud)
        {
            return $"/v2/{options.Cloud}/{pattern}/jobs/input.jpg";
        }

        var (cloud, path) = CloudFile(input);
        return $"/v2/{cloud}/{pattern}{path}";
    }

    /// <summary>The cloud a <c>cloud://</c> input names (as <see cref="PrepareAsync"/> reads it); null for other inputs.</summary>
    public static string? CloudOf(JobInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Kind == JobInputKind.Cloud ? CloudFile(input).Cloud : null;
    }

    /// <summary>The cloud and the unescaped path (with its leading <c>/</c>) of a <c>cloud://</c> input: one reading for every use.</summary>
    private static (string Cloud, string Path) CloudFile(JobInput input)
    {
        var uri = new Uri(input.Text);
        return (uri.Host, Uri.UnescapeDataString(uri.AbsolutePath));
    }

    public async Task<RenderSource> PrepareAsync(string jobId, JobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Kind == JobInputKind.Cloud)
        {
            var (cloud, path) = CloudFile(input);
            return new RenderSource(cloud, path.TrimStart('/'));
        }

        await using var content = input.Kind == JobInputKind.Data ? DataUri(input) : await FetchAsync(input, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(jobId, input.Name, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores an input's bytes in the jobs cloud at <c>jobs/{jobId}/inputs/{name}.{ext}</c> through the upload path.</summary>
    public async Task<RenderSource> StoreAsync(string jobId, string name, Stream content, CancellationToken cancellationToken)
    {
        var target = uploads.JobsTarget(options.Cloud, null);
        var staged = await uploads.StageAsync(target, content, options.MaxInputBytes, cancellationToken).ConfigureAwait(false);
        var stored = await uploads.FinishAsync(target, new UploadRequest { Path = $"{JobsOptions.FilesFolder}/{jobId}/inputs", Name = name, Overwrite = true }, staged, cancellationToken)
            .ConfigureAwait(false);
        return new RenderSource(target.Cloud, stored.File.Path);
    }

    /// <summary>
    /// Stores a job's data-URI inputs before the job exists, under its id, and points <paramref name="named"/> (the
    /// request's <c>input</c> object) at each stored file as <c>cloud://{cloud}/{path}</c>, so the job's row keeps a
    /// path, not the base64: every poll, list and webhook parsed the rows whole, and eleven jobs of 20 MB made one
    /// list call take 2.6 GB. Returns what was stored (to discard when no job uses it); on failure nothing stays.
    /// </summary>
    public async Task<IReadOnlyList<RenderSource>> StoreDataUrisAsync(string jobId, IEnumerable<JobInput> inputs, JsonObject named, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(named);
        var stored = new List<RenderSource>();
        try
        {
            foreach (var input in inputs.Where(i => i.Kind == JobInputKind.Data))
            {
                await using var content = DataUri(input);
                var source = await StoreAsync(jobId, input.Name, content, cancellationToken).ConfigureAwait(false);
                stored.Add(source);
                named[input.Name] = $"cloud://{source.Cloud}/{AssetPaths.Encode(source.FilePath)}";
            }
        }
        catch
        {
            await DiscardAsync(stored).ConfigureAwait(false);
            throw;
        }

        return stored;
    }

    /// <summary>Deletes stored inputs no job will use; one already gone is no failure.</summary>
    public async Task DiscardAsync(IReadOnlyList<RenderSource> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Count == 0)
        {
            return;
        }

        var target = uploads.JobsTarget(options.Cloud, null);
        foreach (var input in stored)
        {
            try
            {
                await uploads.DeleteAsync(target, input.FilePath, CancellationToken.None).ConfigureAwait(false);
            }
            catch (CdnException)
            {
            }
        }
    }

    /// <summary>
    /// A data URI's bytes, decoded from the text in place: cutting the base64 out first copied it (two bytes a
    /// character, 58 MB for a 22 MB image) while the request already held it.
    /// </summary>
    private static MemoryStream DataUri(JobInput input)
    {
        var base64 = input.Text.AsSpan(input.Text.IndexOf(',', StringComparison.Ordinal) + 1);
        var bytes = new byte[(base64.Length + 3) / 4 * 3];
        return Convert.TryFromBase64Chars(base64, bytes, out var written)
            ? new MemoryStream(bytes, 0, written, writable: false)
            : throw CdnException.InvalidArgument($"input '{input.Name}' is not valid base64");
    }

    private async Task<Stream> FetchAsync(JobInput input, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(options.AllowPrivateNetworks ? OriginHttpClients.PrivateAllowed : OriginHttpClients.PublicOnly);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FetchTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(input.Text, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is OriginAddressRefusedException)
        {
            throw new CdnException(CdnErrorKind.OriginRefused, $"input '{input.Name}': the address is not allowed", e);
        }
        catch (HttpRequestException e)
        {
            throw new CdnException(CdnErrorKind.OriginFailed, $"input '{input.Name}' could not be fetched", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CdnException(CdnErrorKind.OriginTimeout, $"input '{input.Name}' did not arrive in time", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new CdnException(CdnErrorKind.OriginFailed, $"input '{input.Name}' answered {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > options.MaxInputBytes)
            {
                throw new CdnException(CdnErrorKind.SourceTooLarge, $"input '{input.Name}' is larger than {options.MaxInputBytes} bytes");
            }

            // Read whole (capped) before the response goes: staging then reads from memory.
            var body = new MemoryStream();
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    if (body.Length + read > options.MaxInputBytes)
                    {
                        throw new CdnException(CdnErrorKind.SourceTooLarge, $"input '{input.Name}' is larger than {options.MaxInputBytes} bytes");
                    }

                    body.Write(buffer, 0, read);
                }
            }

            body.Position = 0;
            return body;
        }
    }
}
