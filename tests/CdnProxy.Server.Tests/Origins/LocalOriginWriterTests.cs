using CdnProxy.Server.Origins.Local;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Origins;

public sealed class LocalOriginWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cdnproxy-writer-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("cdnproxy-outside-").FullName;
    private readonly LocalOriginWriter _writer;

    public LocalOriginWriterTests() => _writer = new LocalOriginWriter(new LocalRoot(_root), new FakeTimeProvider());

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Fact]
    public async Task DeleteFolderIfEmpty_RemovesAnEmptyFolder_NeverOneWithFiles_TheRootOrAPlaceOutside()
    {
        Directory.CreateDirectory(Path.Combine(_root, "jobs", "j1", "outputs"));
        Directory.CreateDirectory(Path.Combine(_root, "kept"));
        await File.WriteAllTextAsync(Path.Combine(_root, "kept", "file.txt"), "x");
        var escape = Path.GetRelativePath(_root, _outside);

        await _writer.DeleteFolderIfEmptyAsync("jobs/j1/outputs", default);
        await _writer.DeleteFolderIfEmptyAsync("jobs/j1", default);
        await _writer.DeleteFolderIfEmptyAsync("kept", default);
        await _writer.DeleteFolderIfEmptyAsync("", default);
        await _writer.DeleteFolderIfEmptyAsync("missing/folder", default);
        await _writer.DeleteFolderIfEmptyAsync(escape, default);

        Assert.False(Directory.Exists(Path.Combine(_root, "jobs", "j1")));
        Assert.True(Directory.Exists(Path.Combine(_root, "jobs")));
        Assert.True(File.Exists(Path.Combine(_root, "kept", "file.txt")));
        Assert.True(Directory.Exists(_root));
        Assert.True(Directory.Exists(_outside));
    }
}
