using CdnProxy.Core;
using CdnProxy.Core.Jobs;
using CdnProxy.Server.Jobs;
using CdnProxy.Server.Jobs.Pixble;

namespace CdnProxy.Server.Tests.Jobs;

/// <summary>Pixble's face without a server: field parsing and defaults, status codes, the info of a queued job, file ids.</summary>
public sealed class PixbleRequestTests
{
    private static readonly JobsOptions Options = new() { MaxInputBytes = 1000 };
    private static readonly string Png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]);

    [Fact]
    public void Defaults_AreThoseOfPixblesDocs_AndTheTaskIsTheCataloguesMagic()
    {
        var request = Parse(new() { ["task"] = "9", ["data"] = Png });

        Assert.Equal((true, 1.3, true, null), (request.ClarifyImage, request.AdvIllumin, request.ColorCorrection, request.Webhook));
        Assert.Equal("enhance.magic(ci:1,ai:1.3,cc:1)", request.Pattern);
        Assert.Equal("enhance.magic(ci:0,ai:0.25,cc:0)", Parse(new() { ["task"] = "9", ["data"] = Png, ["clarify_image"] = "false", ["adv_illumin"] = "0.25", ["color_correction"] = "0" }).Pattern);
    }

    [Fact]
    public void Data_TakesLineBrokenBase64_AndDataUris()
    {
        var wrapped = Png[..8] + "\n" + Png[8..];

        Assert.Equal(Png, Convert.ToBase64String(ImageOf(new() { ["task"] = "9", ["data"] = wrapped })));
        Assert.Equal(Png, Convert.ToBase64String(ImageOf(new() { ["task"] = "9", ["data"] = "data:image/png;base64," + Png })));
    }

    [Fact]
    public void AnImageOverTheCap_IsRefusedAsTooLarge()
    {
        var large = Convert.ToBase64String(new byte[Options.MaxInputBytes + 1]);

        var e = Assert.Throws<CdnException>(() => Parse(new() { ["task"] = "9", ["data"] = large }));

        Assert.Equal(CdnErrorKind.SourceTooLarge, e.Kind);
    }

    [Fact]
    public void TheStoredRequest_ReadsBackTheSame()
    {
        var request = Parse(new() { ["task"] = "9", ["data"] = Png, ["adv_illumin"] = "4.75", ["clarify_image"] = "0" }) with { Input = Input };

        Assert.Equal(request, PixbleJobRequest.Read(request.Write()));
    }

    [Theory]
    [InlineData(JobStatus.Pending, 312)]
    [InlineData(JobStatus.Processing, 312)]
    [InlineData(JobStatus.Complete, 11)]
    [InlineData(JobStatus.Failed, 912)]
    public void Statuses_AreMappedToPixblesCodes(JobStatus status, int code) => Assert.Equal(code, PixbleJobView.Status(status));

    [Fact]
    public void AQueuedJob_Is312_WithItsInputAndNoOutputOrCompletion()
    {
        var now = DateTimeOffset.Parse("2026-12-05T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var job = new JobRecord
        {
            Id = "0193a0b0c0d0e0f00000000000000000",
            Kind = PixbleJobHandler.JobKind,
            Owner = "key:x",
            Created = now,
            Modified = now,
            Request = (Parse(new() { ["task"] = "9", ["data"] = Png }) with { Input = Input }).Write(),
        };

        var info = PixbleJobView.Info(job);

        Assert.Equal((312, "jb_0193a0b0c0d0e0f00000000000000000", "2026-12-05T12:00:00.000Z"), ((int)info["status"]!, (string?)info["job_id"], (string?)info["created_at"]));
        Assert.Null(info["completed_at"]);
        Assert.Null(info["output_file"]);
        var input = Assert.Single(info["files"]!.AsArray())!;
        Assert.Equal(("fi_0193a0b0c0d0e0f00000000000000000_input", "USER_API_UPLOAD", "640x480", 1234L), ((string?)input["file_id"], (string?)input["source"], (string?)input["dim"], (long)input["size"]!));
        Assert.Equal("http://cdn.example/v2/uploads/original/jobs/x/inputs/input.png", (string?)input["url"]);
    }

    [Theory]
    [InlineData(2000, 1333, "t.resize(w:512,h:512,f:inside)")]
    [InlineData(300, 900, "t.resize(w:512,h:512,f:inside)")]
    [InlineData(512, 100, "original")]
    [InlineData(150, 103, "original")]
    public void Previews_FitInside512_WithoutEnlarging(int width, int height, string pattern) =>
        Assert.Equal(pattern, PixbleFiles.PreviewPattern(width, height));

    [Theory]
    [InlineData("fi_0193abc_output", "0193abc", "output")]
    [InlineData("fi_0193abc_input", "0193abc", "input")]
    [InlineData("jb_0193abc", "0193abc", "output")]
    [InlineData("0193abc", "0193abc", "output")]
    public void FileIds_NameAJobAndOneOfItsFiles(string text, string job, string which) =>
        Assert.Equal((job, which), PixbleFiles.ParseFileId(text));

    [Theory]
    [InlineData("fi_input")]
    [InlineData("fi_0193abc_thumb")]
    [InlineData("fi_../x_output")]
    [InlineData("")]
    public void OtherIds_NameNothing(string text) => Assert.Null(PixbleFiles.ParseFileId(text));

    private static readonly PixbleStoredFile Input = new("uploads", "jobs/x/inputs/input.png", "image/png", 1234, 640, 480);

    private static PixbleJobRequest Parse(Dictionary<string, string> fields) =>
        PixbleJobRequest.Parse(PixbleForm.FromText(fields), Options, "http://cdn.example", EnsurePng).Request;

    private static byte[] ImageOf(Dictionary<string, string> fields) =>
        PixbleJobRequest.Parse(PixbleForm.FromText(fields), Options, "http://cdn.example", EnsurePng).Image;

    private static void EnsurePng(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
        {
            throw new CdnException(CdnErrorKind.UnsupportedFormat, "not an image");
        }
    }
}
