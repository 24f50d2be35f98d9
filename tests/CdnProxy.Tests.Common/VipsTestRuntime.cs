using CdnProxy.Vips;

namespace CdnProxy.Tests.Common;

/// <summary>Starts libvips once per test process, with leak tracking on.</summary>
public static class VipsTestRuntime
{
    private static readonly Lazy<VipsRuntimeInfo> Info = new(() => VipsRuntime.Initialize(new VipsSettings { TrackLeaks = true }));

    public static VipsRuntimeInfo Ensure() => Info.Value;
}
