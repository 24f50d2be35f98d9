using CdnProxy.Tests.Common;

namespace CdnProxy.Vips.Tests;

/// <summary>Counts live libvips objects, so nothing else may create images while these tests run.</summary>
[CollectionDefinition(nameof(VipsCallTests), DisableParallelization = true)]
public sealed class VipsCallSerialGroup
{
}

[Collection(nameof(VipsCallTests))]
public class VipsCallTests
{
    public VipsCallTests()
    {
        VipsTestRuntime.Ensure();
    }

    public static TheoryData<string, Action<VipsCall>> UnknownArgumentSetters => new()
    {
        { "int", c => c.Set("nope", 1) },
        { "double", c => c.Set("nope", 1.5) },
        { "bool", c => c.Set("nope", true) },
        { "string", c => c.Set("nope", "x") },
        { "doubles", c => c.Set("nope", [1.0, 2.0]) },
        { "buffer", c => c.SetBuffer("nope", [1, 2, 3]) },
    };

    private static VipsImage Black(int width, int height, int bands = 1)
    {
        using var call = VipsCall.Create("black").Set("width", width).Set("height", height).Set("bands", bands).Invoke();
        return call.GetImage("out");
    }

    [Theory]
    [InlineData("black", "width", true)]
    [InlineData("black", "bands", true)]
    [InlineData("black", "out", true)]
    [InlineData("black", "nope", false)]
    [InlineData("extract_area", "left", true)]
    [InlineData("extract_area", "x", false)]
    public void Has_ReportsWhetherTheArgumentExists(string operation, string argument, bool expected)
    {
        using var call = VipsCall.Create(operation);

        Assert.Equal(expected, call.Has(argument));
    }

    [Fact]
    public void ReadPixels_SeesExactlyThePackedPixels_AsToPixelBytesCopiesThem()
    {
        byte[] pixels = [.. Enumerable.Range(0, 7 * 3 * 2).Select(i => (byte)(i * 5))];
        using var image = VipsImage.FromPixels(pixels, 7, 3, 2);

        var seen = image.ReadPixels(span => span.ToArray());

        Assert.Equal(pixels, seen);
        Assert.Equal(pixels, image.ToPixelBytes());
    }

    [Fact]
    public void Has_MissingArgument_LeavesNoErrorBehind()
    {
        using var call = VipsCall.Create("black");
        call.Has("nope");

        Assert.Equal(string.Empty, VipsException.TakeErrorBuffer());
    }

    [Theory]
    [MemberData(nameof(UnknownArgumentSetters))]
    public void Set_UnknownArgument_ThrowsVipsException(string kind, Action<VipsCall> set)
    {
        using var call = VipsCall.Create("black");

        var e = Assert.Throws<VipsException>(() => set(call));

        Assert.Contains("nope", e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(kind));
    }

    [Fact]
    public void Set_UnknownImageArgument_ThrowsVipsException()
    {
        using var image = Black(4, 4);
        using var call = VipsCall.Create("invert");

        Assert.Throws<VipsException>(() => call.Set("nope", image));
    }

    [Fact]
    public void Set_WrongType_ThrowsVipsException()
    {
        using var call = VipsCall.Create("black");

        Assert.Throws<VipsException>(() => call.Set("width", "wide"));
        Assert.Throws<VipsException>(() => call.Set("width", true));
    }

    [Fact]
    public void SetIfPresent_MissingArgument_IsIgnored()
    {
        using var call = VipsCall.Create("black").Set("width", 3).Set("height", 2).SetIfPresent("nope", 1).SetIfPresent("nope", "x").SetIfPresent("nope", true);
        call.Invoke();

        using var image = call.GetImage("out");
        Assert.Equal((3, 2), (image.Width, image.Height));
    }

    [Theory]
    [InlineData("no_such_operation")]
    [InlineData("")]
    [InlineData("VipsImage")]
    public void Create_UnknownOperation_ThrowsVipsException(string name)
    {
        Assert.Throws<VipsException>(() => VipsCall.Create(name));
    }

    [Theory]
    [InlineData("horizontal")]
    [InlineData("vertical")]
    public void Set_EnumByNick_Works(string direction)
    {
        using var image = Black(6, 4);
        using var call = VipsCall.Create("flip").Set("in", image).Set("direction", direction).Invoke();

        using var flipped = call.GetImage("out");

        Assert.Equal((6, 4), (flipped.Width, flipped.Height));
    }

    [Fact]
    public void Set_EnumByBadNick_ThrowsVipsException()
    {
        using var call = VipsCall.Create("flip");

        var e = Assert.Throws<VipsException>(() => call.Set("direction", "sideways"));

        Assert.Contains("sideways", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountLiveObjects_SeesAnUndisposedImage()
    {
        var baseline = VipsRuntime.CountLiveObjects();

        var image = Black(2, 2);
        var whileAlive = VipsRuntime.CountLiveObjects();
        image.Dispose();

        Assert.True(whileAlive > baseline, $"{whileAlive} live objects with an image open, {baseline} before");
        Assert.Equal(baseline, VipsRuntime.CountLiveObjects());
    }

    [Fact]
    public void Invoke_Failure_ThrowsAndLeavesNoLiveObjects()
    {
        var baseline = VipsRuntime.CountLiveObjects();

        using (var image = Black(10, 10))
        {
            using var call = VipsCall.Create("extract_area")
                .Set("input", image).Set("left", 5).Set("top", 5).Set("width", 10).Set("height", 10);

            var e = Assert.Throws<VipsException>(() => call.Invoke());

            Assert.Contains("extract_area", e.Message, StringComparison.Ordinal);
        }

        Assert.Equal(baseline, VipsRuntime.CountLiveObjects());
    }

    [Fact]
    public void Invoke_Failure_ThenDispose_IsSafe()
    {
        using var image = Black(10, 10);
        var call = VipsCall.Create("extract_area").Set("input", image).Set("left", 20).Set("top", 0).Set("width", 1).Set("height", 1);
        Assert.Throws<VipsException>(() => call.Invoke());

        call.Dispose();
        call.Dispose();
        Assert.Throws<ObjectDisposedException>(() => call.GetImage("out"));
    }

    [Fact]
    public void Invoke_Success_DisposingEverything_LeavesNoLiveObjects()
    {
        var baseline = VipsRuntime.CountLiveObjects();

        using (var image = Black(10, 10))
        using (var call = VipsCall.Create("extract_area").Set("input", image).Set("left", 2).Set("top", 3).Set("width", 4).Set("height", 5).Invoke())
        using (var area = call.GetImage("out"))
        {
            Assert.Equal((4, 5), (area.Width, area.Height));
        }

        Assert.Equal(baseline, VipsRuntime.CountLiveObjects());
    }

    [Fact]
    public void GetBlob_ReturnsTheEncodedBytes()
    {
        using var image = Black(8, 8);
        using var call = VipsCall.Create("pngsave_buffer").Set("in", image).Invoke();

        var bytes = call.GetBlob("buffer");

        Assert.True(bytes.Length > 8);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
    }

    [Fact]
    public void SetBuffer_RoundTripsThroughALoader()
    {
        byte[] png;
        using (var image = Black(7, 3))
        using (var save = VipsCall.Create("pngsave_buffer").Set("in", image).Invoke())
        {
            png = save.GetBlob("buffer");
        }

        using var load = VipsCall.Create("pngload_buffer").SetBuffer("buffer", png).Invoke();
        using var loaded = load.GetImage("out");

        Assert.Equal((7, 3), (loaded.Width, loaded.Height));
    }

    [Fact]
    public void GetDoubles_GetpointReturnsEveryBand()
    {
        using var black = Black(4, 4, bands: 3);
        using var add = VipsCall.Create("linear").Set("in", black).Set("a", [1.0, 1.0, 1.0]).Set("b", [10.0, 20.0, 30.0]).Invoke();
        using var image = add.GetImage("out");
        using var call = VipsCall.Create("getpoint").Set("in", image).Set("x", 1).Set("y", 2).Invoke();

        Assert.Equal([10.0, 20.0, 30.0], call.GetDoubles("out-array"));
    }

    [Fact]
    public void GetDouble_ReadsAScalarOutput()
    {
        using var black = Black(4, 4);
        using var add = VipsCall.Create("linear").Set("in", black).Set("a", [1.0]).Set("b", [7.0]).Invoke();
        using var image = add.GetImage("out");
        using var call = VipsCall.Create("avg").Set("in", image).Invoke();

        Assert.Equal(7.0, call.GetDouble("out"), 9);
    }
}
