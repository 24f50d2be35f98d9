using System.IO.Compression;
using System.Text;
using System.Xml;

namespace CdnProxy.Cli.Warm;

/// <summary>How much a warm-up reads from sitemaps: each bound is said, with its number, when a sitemap reaches it.</summary>
public sealed record SitemapLimits
{
    /// <summary>The largest sitemap, 50 MiB: the sitemap protocol's own limit for one file.</summary>
    public long MaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>All sitemaps together.</summary>
    public long MaxTotalBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Sitemaps read, the first one and those its indexes list.</summary>
    public int MaxSitemaps { get; init; } = 1000;

    /// <summary>Indexes within indexes: the protocol has none (an index lists sitemaps), a few are tolerated.</summary>
    public int MaxDepth { get; init; } = 3;

    /// <summary>URLs taken from all sitemaps together.</summary>
    public int MaxUrls { get; init; } = 1_000_000;
}

/// <summary>
/// Every <c>loc</c> of a sitemap (<c>&lt;urlset&gt;</c>: pages and <c>image:loc</c>), in order, once each; a sitemap
/// index (<c>&lt;sitemapindex&gt;</c>) has each sitemap it lists fetched and read the same way, within
/// <see cref="SitemapLimits"/>, a sitemap listed twice (or listing itself) read once. Every failure is an
/// <see cref="ArgumentException"/> that names the sitemap and says what is wrong in a line, never the XML parser's text.
/// </summary>
public sealed class SitemapReader(HttpClient http, SitemapLimits limits, TimeSpan fetchTimeout)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly List<string> _urls = [];
    private long _bytes;

    /// <summary>Whether <paramref name="text"/> is XML rather than a list of URLs (which never starts with '&lt;').</summary>
    public static bool IsSitemap(string text) => text.AsSpan().TrimStart().StartsWith("<", StringComparison.Ordinal);

    /// <summary>The URLs of the sitemap <paramref name="xml"/>, called <paramref name="name"/> in messages.</summary>
    public async Task<List<string>> ReadAsync(string name, string xml, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xml);
        await ReadAsync(name, xml, depth: 0, cancellationToken).ConfigureAwait(false);
        return _urls;
    }

    private async Task ReadAsync(string name, string xml, int depth, CancellationToken cancellationToken)
    {
        _read.Add(name);
        if (_read.Count > limits.MaxSitemaps)
        {
            throw new ArgumentException($"sitemap {name}: more than {limits.MaxSitemaps} sitemaps to read; warm them in parts");
        }

        var (root, locations) = Parse(name, xml);
        if (root == "urlset")
        {
            foreach (var url in locations.Where(_taken.Add))
            {
                _urls.Add(url);
                if (_urls.Count > limits.MaxUrls)
                {
                    throw new ArgumentException($"sitemap {name}: the sitemaps list more than {limits.MaxUrls} URLs; warm them in parts");
                }
            }

            return;
        }

        if (depth >= limits.MaxDepth)
        {
            throw new ArgumentException($"sitemap index {name}: sitemap indexes nest more than {limits.MaxDepth} deep");
        }

        foreach (var listed in locations.Where(location => !_read.Contains(location)))
        {
            await ReadAsync(listed, await FetchAsync(name, listed, cancellationToken).ConfigureAwait(false), depth + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The root element's name and every <c>loc</c>, non-empty and trimmed; no DTD is read (entities could expand without bound).</summary>
    private static (string Root, List<string> Locations) Parse(string name, string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        var locations = new List<string>();
        string? root = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    root ??= reader.LocalName;
                    if (root is not ("urlset" or "sitemapindex"))
                    {
                        throw new ArgumentException($"sitemap {name} is not a sitemap: its root element is <{root}>, not <urlset> or <sitemapindex>");
                    }

                    if (reader.LocalName == "loc")
                    {
                        // Reads up to the element's end: the reader is then on the next node already.
                        if (reader.ReadElementContentAsString().Trim() is { Length: > 0 } location)
                        {
                            locations.Add(location);
                        }

                        continue;
                    }
                }

                reader.Read();
            }
        }
        catch (XmlException e)
        {
            var line = e.LineNumber > 0 ? $" (line {e.LineNumber})" : string.Empty;
            throw new ArgumentException($"sitemap {name} is not valid XML{line}", e);
        }

        return (root ?? throw new ArgumentException($"sitemap {name} is not a sitemap: it has no element"), locations);
    }

    private async Task<string> FetchAsync(string index, string location, CancellationToken cancellationToken)
    {
        if (!WarmTargets.IsRequestable(location))
        {
            throw new ArgumentException($"sitemap index {index} lists '{location}', which is not an absolute http(s) URL");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(fetchTimeout);
        try
        {
            using var response = await http.GetAsync(location, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ArgumentException($"sitemap {location} (listed in {index}) could not be fetched: HTTP {(int)response.StatusCode}");
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadTextAsync(location, stream, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new ArgumentException($"sitemap {location} (listed in {index}) could not be fetched: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ArgumentException($"sitemap {location} (listed in {index}) could not be fetched: timed out", e);
        }
    }

    /// <summary>
    /// The text of a sitemap or file of URLs called <paramref name="name"/>, gunzipped when it is gzip (sitemaps are often
    /// served as <c>.xml.gz</c>), read no further than the limits allow: they count the text, not the compressed bytes.
    /// </summary>
    public async Task<string> ReadTextAsync(string name, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var raw = await CopyCappedAsync(name, body, cancellationToken).ConfigureAwait(false);
        using var text = IsGzip(raw) ? await GunzipAsync(name, raw, cancellationToken).ConfigureAwait(false) : raw;
        CountTowardsTotal(name, text.Length);

        // A byte order mark says the encoding (and is not text the XML reader would take).
        using var reader = new StreamReader(text, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The text of <paramref name="input"/> (standard input, already decoded) called <paramref name="name"/>, bounded
    /// as a file is: by its size in bytes of UTF-8, not in characters, so that text of multi-byte characters (up to 3
    /// bytes each, 4 for a surrogate pair) cannot pass at several times the bound.
    /// </summary>
    public async Task<string> ReadTextAsync(string name, TextReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = new StringBuilder();
        var block = new char[81920];
        long bytes = 0;
        void Take(int count)
        {
            bytes += Encoding.UTF8.GetByteCount(block.AsSpan(0, count));
            if (bytes > limits.MaxBytes)
            {
                throw TooLarge(name);
            }

            text.Append(block, 0, count);
        }

        var held = 0;
        int read;
        while ((read = await input.ReadAsync(block.AsMemory(held), cancellationToken).ConfigureAwait(false)) > 0)
        {
            // A read may end inside a surrogate pair: its first half waits for the second, so the pair counts 4 bytes
            // (counted alone, each half would be a lone surrogate of 3).
            var available = held + read;
            held = char.IsHighSurrogate(block[available - 1]) ? 1 : 0;
            Take(available - held);
            if (held > 0)
            {
                block[0] = block[available - 1];
            }
        }

        Take(held);
        CountTowardsTotal(name, bytes);
        return text.ToString();
    }

    private void CountTowardsTotal(string name, long bytes)
    {
        _bytes += bytes;
        if (_bytes > limits.MaxTotalBytes)
        {
            throw new ArgumentException($"{name}: the sitemaps come to more than {limits.MaxTotalBytes} bytes; warm them in parts");
        }
    }

    private ArgumentException TooLarge(string name) =>
        new($"{name} is larger than {limits.MaxBytes} bytes, the most one sitemap or file of URLs may be");

    private static bool IsGzip(MemoryStream content) => content.Length >= 2 && content.GetBuffer() is [0x1f, 0x8b, ..];

    private async Task<MemoryStream> GunzipAsync(string name, MemoryStream compressed, CancellationToken cancellationToken)
    {
        var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            try
            {
                return await CopyCappedAsync(name, gzip, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                throw new ArgumentException($"{name} starts as gzip but does not decompress", e);
            }
        }
    }

    private async Task<MemoryStream> CopyCappedAsync(string name, Stream body, CancellationToken cancellationToken)
    {
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            copy.Write(chunk, 0, read);
            if (copy.Length > limits.MaxBytes)
            {
                await copy.DisposeAsync().ConfigureAwait(false);
                throw TooLarge(name);
            }
        }

        copy.Position = 0;
        return copy;
    }
}
