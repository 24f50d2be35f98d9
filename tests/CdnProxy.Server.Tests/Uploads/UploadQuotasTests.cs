using System.Net;
using CdnProxy.Core;
using CdnProxy.Server.Origins.Local;
using CdnProxy.Server.Uploads;
using CdnProxy.Tests.Common;
using Microsoft.Extensions.Time.Testing;

namespace CdnProxy.Server.Tests.Uploads;

public sealed class UploadQuotasTests : IDisposable
{
    private static readonly byte[] Flower = TestImages.Read(TestImages.Flower);
    private readonly string _folder = Directory.CreateTempSubdirectory("cdnproxy-quota-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly LocalOriginWriter _writer;

    public UploadQuotasTests()
    {
        _writer = new LocalOriginWriter(new LocalRoot(_folder), _time);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task StoredBytes_CountsFilesInEveryFolder_NotRecordsOrStaging()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "a", "b"));
        Directory.CreateDirectory(Path.Combine(_folder, ".cdnproxy-tmp"));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "one.jpg"), new byte[100]);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "a", "b", "two.png"), new byte[50]);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "one.jpg.cdnproxy.json"), new byte[7]);
        await File.WriteAllBytesAsync(Path.Combine(_folder, ".cdnproxy-tmp", "part"), new byte[1000]);

        Assert.Equal(150, await _writer.StoredBytesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reserve_UpToTheQuota_ThenRefused_AndRoomComesBackWhenGivenUp()
    {
        await File.WriteAllBytesAsync(Path.Combine(_folder, "old.jpg"), new byte[600]);
        var quotas = new UploadQuotas(_time);
        var target = Target(1000);

        using var first = await quotas.ReserveAsync(target, 300, 0, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<CdnException>(() => quotas.ReserveAsync(target, 101, 0, CancellationToken.None));
        first.Dispose();
        using var second = await quotas.ReserveAsync(target, 400, 0, CancellationToken.None);

        Assert.Equal(CdnErrorKind.QuotaExceeded, refused.Kind);
    }

    [Fact]
    public async Task Committed_CountsUntilTheRecount_AndOverwritesCountOnlyTheDifference()
    {
        var quotas = new UploadQuotas(_time);
        var target = Target(1000);

        using (var stored = await quotas.ReserveAsync(target, 900, 0, CancellationToken.None))
        {
            stored.Commit();
        }

        await Assert.ThrowsAsync<CdnException>(() => quotas.ReserveAsync(target, 101, 0, CancellationToken.None));
        using var overwrite = await quotas.ReserveAsync(target, 950, 900, CancellationToken.None);
        overwrite.Dispose();

        // Nothing was really written here, so the next count, a minute on, finds the folder empty.
        _time.Advance(UploadQuotas.RecountInterval);
        using var afterRecount = await quotas.ReserveAsync(target, 1000, 0, CancellationToken.None);
    }

    [Fact]
    public async Task FilesWrittenElsewhere_CountFromTheNextRecount()
    {
        var quotas = new UploadQuotas(_time);
        var target = Target(1000);
        (await quotas.ReserveAsync(target, 1, 0, CancellationToken.None)).Dispose();

        await File.WriteAllBytesAsync(Path.Combine(_folder, "by-another-replica.jpg"), new byte[800]);
        using var stillRoom = await quotas.ReserveAsync(target, 500, 0, CancellationToken.None);
        stillRoom.Dispose();
        _time.Advance(UploadQuotas.RecountInterval);

        await Assert.ThrowsAsync<CdnException>(() => quotas.ReserveAsync(target, 500, 0, CancellationToken.None));
    }

    [Fact]
    public async Task WithoutAQuota_NothingIsCounted()
    {
        var quotas = new UploadQuotas(_time);
        Directory.Delete(_folder, recursive: true);

        using var reservation = await quotas.ReserveAsync(Target(0), long.MaxValue / 2, 0, CancellationToken.None);
        Directory.CreateDirectory(_folder);
    }

    [Fact]
    public async Task UploadsToACloudWithAQuota_507WhenFull_RoomAgainAfterADelete()
    {
        using var client = new UploadTestClient(new Dictionary<string, string?> { ["CdnProxy:Clouds:uploads:Origin:QuotaBytes"] = (Flower.Length * 2 + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var (first, _) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "q1")));
        var (second, _) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "q2")));
        var (third, error) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "q3")));
        var (overwrite, _) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: [("name", "q2"), ("overwrite", "true")]));
        var (deleted, _) = await client.ApiAsync(HttpMethod.Delete, "/api/v1/assets/uploads/q1.jpeg");
        var (fourth, _) = await client.UploadAsync(UploadTestClient.Form(Flower, fields: ("name", "q4")));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], new[] { first.StatusCode, second.StatusCode });
        Assert.Equal((HttpStatusCode)507, third.StatusCode);
        Assert.Equal("quota_exceeded", (string?)error!["error"]!["code"]);
        Assert.False(File.Exists(Path.Combine(client.UploadsFolder, "q3.jpeg")));
        Assert.Equal(HttpStatusCode.OK, overwrite.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
    }

    private UploadTarget Target(long quota) => new("c", null, _writer, quota);
}
