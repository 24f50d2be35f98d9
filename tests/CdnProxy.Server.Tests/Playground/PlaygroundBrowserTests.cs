using System.Net;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CdnProxy.Server.Tests.Playground;

/// <summary>
/// The playground in a real browser: Debian's Chromium (installed by scripts/setup.sh --for-tests; browsers are never
/// downloaded) driven by Playwright, against the server started on its embedded default as scripts/run.sh does.
/// </summary>
public sealed class PlaygroundBrowserTests(PlaygroundBrowserTests.Browser browser, ITestOutputHelper output)
    : IClassFixture<PlaygroundBrowserTests.Browser>, IDisposable
{
    private EmbeddedDefaultServer Server => browser.Server!;

    private IBrowserContext? Context => browser.Context;

    public void Dispose() => output.WriteLine(Server.Output);

    [Fact]
    public async Task RootOfTheEmbeddedDefault_IsThePlayground()
    {
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>CdnProxy playground</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposingResizeThenFlip_LoadsThePreview_AndShowsItsUrlAndTimings()
    {
        if (Context is null)
        {
            return;
        }

        var page = await Context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        await page.GotoAsync(Server.BaseAddress + "");

        // The form comes from the catalogue; the image from the demo cloud's listing.
        await page.Locator("#gallery .thumb[data-path='photo-3mp-flower.jpg']").ClickAsync();
        await page.Locator("#add-step").SelectOptionAsync("t.resize");
        await page.Locator("#steps .step[data-operation='t.resize'] .field[data-key='w'] input").FillAsync("300");
        await page.Locator("#add-step").SelectOptionAsync("t.flip");

        var expected = new Uri(Server.BaseAddress, "/v2/demo/t.resize(w:300)~t.flip()/photo-3mp-flower.jpg").ToString();
        await page.WaitForFunctionAsync(
            "url => document.getElementById('url').value === url && document.getElementById('preview').dataset.loaded === 'true'",
            expected,
            new PageWaitForFunctionOptions { Timeout = 30_000 });

        Assert.Equal(expected, await page.Locator("#url").InputValueAsync());
        Assert.Equal("t.resize(w:300)~t.flip()", await page.Locator("#pattern").InputValueAsync());
        Assert.Equal(300, await page.Locator("#preview").EvaluateAsync<int>("image => image.naturalWidth"));
        Assert.Equal(200, await page.Locator("#preview").EvaluateAsync<int>("image => image.naturalHeight"));
        var after = await page.Locator("#after-facts").InnerTextAsync();
        Assert.StartsWith("300×200, image/jpeg, ", after, StringComparison.Ordinal);
        Assert.StartsWith("2268×1512, image/jpeg, ", await WhenLoaded(page, "#before-image", "#before-facts"), StringComparison.Ordinal);

        // The Server-Timing stages, read from the page: a fresh rendition was fetched and rendered.
        var stages = await page.Locator("#timing-list li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.stage + '=' + i.dataset.ms)");
        output.WriteLine("Server-Timing on the page: " + string.Join(", ", stages));
        var timings = stages.Select(s => s.Split('=')).ToDictionary(s => s[0], s => double.Parse(s[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("fetch", timings.Keys);
        Assert.True(timings["render"] > 0, "render took no time");
        Assert.Equal(stages.Length, await page.Locator("#timing-bar .segment").CountAsync());
        Assert.True(await page.Locator("#error").IsHiddenAsync());
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Errors_AreShownInPlace_TheBrowsersCheckAtTheField_TheServersAnswerInThePreview()
    {
        if (Context is null)
        {
            return;
        }

        var page = await Context.NewPageAsync();
        await page.GotoAsync(Server.BaseAddress + "");
        await page.Locator("#add-step").SelectOptionAsync("t.resize");

        // Out of the catalogue's range: marked at the field, nothing requested.
        var width = page.Locator("#steps .step[data-operation='t.resize'] .field[data-key='w']");
        await width.Locator("input").FillAsync("-5");
        await page.WaitForFunctionAsync("() => !document.getElementById('error').hidden");
        Assert.Contains("invalid", await width.GetAttributeAsync("class") ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("Fix t.resize w", await page.Locator("#error").InnerTextAsync(), StringComparison.Ordinal);

        // A pattern typed by hand that the server refuses: its error code and message in the preview's place.
        await page.Locator("#pattern").FillAsync("t.resize(w:300)~t.nope()");
        await page.Locator("#pattern").PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.getElementById('error').textContent.includes('unknown_transformation')");
        Assert.Contains("t.nope", await page.Locator("#error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("false", await page.Locator("#preview").GetAttributeAsync("data-loaded"));
    }

    private static async Task<string> WhenLoaded(IPage page, string image, string facts)
    {
        await page.WaitForFunctionAsync($"() => document.querySelector(\"{image}\").dataset.loaded === 'true'");
        return await page.Locator(facts).InnerTextAsync();
    }

    /// <summary>One server and one browser for the class; each test opens its own page.</summary>
    public sealed class Browser : IAsyncLifetime
    {
        private const string Chromium = "/usr/bin/chromium";

        private static readonly string[] ChromiumFlags =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ];

        private readonly string _profile = Directory.CreateTempSubdirectory("cdnproxy-chromium-").FullName;
        private IPlaywright? _playwright;

            public EmbeddedDefaultServer? Server { get; private set; }

        public IBrowserContext? Context { get; private set; }

        public async Task InitializeAsync()
        {
            Server = await EmbeddedDefaultServer.StartAsync();
            if (!File.Exists(Chromium))
            {
                Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{Chromium} missing: run scripts/setup.sh --for-tests");
                return;
            }

            _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            // A persistent context on a fresh folder: the profile is ours, empty, and deleted afterwards.
            Context = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ChromiumFlags,
                ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            });
        }

        public async Task DisposeAsync()
        {
            if (Context is not null)
            {
                await Context.CloseAsync();
            }

            _playwright?.Dispose();
            Server?.Dispose();
            Directory.Delete(_profile, recursive: true);
        }
    }
}
