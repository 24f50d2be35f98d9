using CdnProxy.Core.Transformations;
using CdnProxy.Tests.Common;
using CdnProxy.Vips;
using NetVips;

namespace CdnProxy.Core.Tests.Transformations;

/// <summary>Counts process-wide libvips objects, so it runs with the leak test, alone.</summary>
[Collection("libvips leak")]
public class AnimationTests
{
    [Theory]
    [InlineData("flip (same size as the frame)")]
    [InlineData("rot90 (another size)")]
    [InlineData("unchanged (the frame itself)")]
    public void EachFrame_DisposesEveryFrameAndResult_WhateverTheStepReturns(string step)
    {
        VipsTestRuntime.Ensure();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = VipsRuntime.LiveObjectTypes();
        using (var strip = VipsImage.NewFromBuffer(TestImages.Read(TestImages.Sample("anim-2frames.gif")), kwargs: new VOption { { "n", -1 } }))
        using (var memory = strip.CopyMemory())
        {
            var animation = Animation.Of(memory)!;
            using var result = animation.EachFrame(memory, deadline: null, frame => step[0] switch
            {
                'f' => frame.Flip(Enums.Direction.Vertical),
                'r' => frame.Rot90(),
                _ => frame,
            });

            Assert.Equal(2, animation.FrameCount);
        }

        // No collection in between: an image left to its finalizer would still be counted.
        Assert.Equal(before, VipsRuntime.LiveObjectTypes());
    }
}
