namespace CdnProxy.Tests.Common;

/// <summary>Paths to the repository's test images: <c>samples/</c>, <c>tests/assets/images/</c> and the fetched GPL set in <c>.testdata/</c>.</summary>
public static class TestImages
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string SamplesFolder => Path.Combine(RepositoryRoot, "samples");

    public static string AssetsFolder => Path.Combine(RepositoryRoot, "tests", "assets", "images");

    /// <summary>The benchmark photo: 2268×1512 baseline JPEG.</summary>
    public static string Flower => Sample("photo-3mp-flower.jpg");

    public static string Sample(string name) => Existing(Path.Combine(SamplesFolder, name));

    public static string Asset(string relativePath) => Existing(Path.Combine(AssetsFolder, relativePath));

    public static byte[] Read(string path) => File.ReadAllBytes(path);

    /// <summary>The GPL-licensed images fetched at test time (not committed), or null when absent.</summary>
    public static string? Fetched(string relativePath)
    {
        var path = Path.Combine(RepositoryRoot, ".testdata", relativePath);
        return File.Exists(path) ? path : null;
    }

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException("Test image missing", path);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CdnProxy.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CdnProxy.sln not found above " + AppContext.BaseDirectory);
    }
}
