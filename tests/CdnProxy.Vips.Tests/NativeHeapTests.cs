using System.Runtime.InteropServices;

namespace CdnProxy.Vips.Tests;

public class NativeHeapTests
{
    [Fact]
    public void FreeBytes_CountsWhatTheCHeapHoldsAfterAFree()
    {
        if (!NativeHeap.IsGlibc)
        {
            Assert.Null(NativeHeap.FreeBytes());
            return;
        }

        // Many small blocks (below glibc's mmap threshold) stay in the heap when freed, so its free bytes grow by them
        // (by half at least: other test threads may take some of the space at once).
        const int Blocks = 256;
        const int BlockBytes = 64 * 1024;
        var blocks = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(BlockBytes);
        }

        var before = NativeHeap.FreeBytes();
        for (var i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]); // the last one stays, so the freed space is not the heap's top alone
        }

        var after = NativeHeap.FreeBytes();
        Marshal.FreeHGlobal(blocks[^1]);

        Assert.NotNull(before);
        Assert.True(after - before >= Blocks * (long)BlockBytes / 2, $"free bytes went from {before} to {after}");
    }
}
