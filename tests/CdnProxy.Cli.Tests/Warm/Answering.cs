namespace CdnProxy.Cli.Tests.Warm;

/// <summary>An HTTP handler that answers every request with the test's function, so no test reaches a network.</summary>
internal sealed class Answering(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public static Answering Of(Func<HttpRequestMessage, HttpResponseMessage> answer) => new(request => Task.FromResult(answer(request)));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
}
