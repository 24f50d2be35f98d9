using CdnProxy.Tests.Common;

namespace CdnProxy.Vips.Tests;

public class VipsRuntimeTests
{
    [Fact]
    public void Initialize_LoadsLibvips818OrTheSystemFallback()
    {
        var info = VipsTestRuntime.Ensure();

        Assert.True(info.Version >= new Version(8, 13), $"libvips {info.Version} is too old");
        Assert.Contains(info.Source, new[] { "bundled", "system", "environment" });
        Assert.True(File.Exists(info.LibraryPath) || info.Source == "system", info.LibraryPath);
    }

    [Fact]
    public void Probe_EncodesATinyImage()
    {
        VipsTestRuntime.Ensure();

        Assert.True(VipsRuntime.Probe());
    }
}
