using CdnProxy.Core.Rendering;

namespace CdnProxy.Core.Tests.Rendering;

public class RenderThreadsTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(2, 1)]
    [InlineData(8, 1)]
    public void Adaptive_GivesARenderAloneEveryCore_AndSharedRendersOneThreadEach(int running, int threads) =>
        Assert.Equal(threads, new RenderThreads(fixedThreads: 0, cores: 4).For(running));

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void Fixed_IsKeptWhateverRuns(int running) =>
        Assert.Equal(3, new RenderThreads(fixedThreads: 3, cores: 4).For(running));
}
