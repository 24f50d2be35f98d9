using CdnProxy.Core.Rendering;
using CdnProxy.Core.Transformations;

namespace CdnProxy.Core.Tests.Rendering;

public class ComputedInputsTests
{
    private static readonly RenderContext Context = new(new RenderLimits(), 1);
    private static readonly ImageSize Size = new(2000, 1500);

    /// <summary>For each step of <paramref name="pattern"/>, whether its input is computed in memory first.</summary>
    private static bool[] Decisions(string pattern, bool sourceComputed = false, bool animated = false)
    {
        var inputs = new ComputedInputs(sourceComputed, animated);
        var decisions = new List<bool>();
        foreach (var step in RenderHarness.Bind(pattern).Transformations)
        {
            decisions.Add(inputs.Before(step, Size, Context));
            inputs.After(step, Size, Context, unchanged: false);
        }

        return [.. decisions];
    }

    [Fact]
    public void OutOfOrderStep_OnALazyInput_GetsItComputed() =>
        Assert.Equal([false, true], Decisions("t.blur(s:2)~t.rotate(a:30)"));

    [Fact]
    public void OutOfOrderStep_OnAComputedSource_ReadsItAsItIs() =>
        Assert.Equal([false], Decisions("t.rotate(a:30)", sourceComputed: true));

    [Fact]
    public void WideWindowOverAWideWindow_GetsItsInputComputed() =>
        Assert.Equal([false, true, true], Decisions("t.blur(s:100)~t.blur(s:100)~t.median(s:10)"));

    [Fact]
    public void NarrowWindows_StackLazilyUntilTheyReachFarTogether() =>
        // Radii 1 each (3×3 medians): recomputing a pixel's margin costs less than a copy, up to 8 px together.
        Assert.Equal([false, false, false, false, false, false, false, false, true], Decisions(string.Join('~', Enumerable.Repeat("t.median(s:3)", 9))));

    [Fact]
    public void PointOperationsBetweenWindows_DoNotResetTheReach() =>
        Assert.Equal([false, false, true], Decisions("t.blur(s:10)~t.negate()~t.blur(s:10)"));

    [Fact]
    public void ASingleWindow_IsNeverComputedFirst() =>
        Assert.Equal([false, false], Decisions("t.negate()~t.blur(s:100)"));

    [Fact]
    public void Animations_AreLeftToTheirFrames() =>
        Assert.Equal([false, false], Decisions("t.blur(s:100)~t.blur(s:100)", animated: true));

    [Fact]
    public void AStepThatChangesNothing_KeepsItsInputComputed()
    {
        var inputs = new ComputedInputs(sourceComputed: true, animated: false);
        var steps = RenderHarness.Bind("t.flip()~t.rotate(a:30)").Transformations;

        Assert.False(inputs.Before(steps[0], Size, Context));
        inputs.After(steps[0], Size, Context, unchanged: true);
        Assert.False(inputs.Before(steps[1], Size, Context));
    }
}
