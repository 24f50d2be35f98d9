using System.Security.Cryptography;
using System.Text;
using CdnProxy.Core;
using CdnProxy.Server.Origins;
using CdnProxy.Urls;
using CdnProxy.Urls.Client.Uploads;
using CdnProxy.Urls.Paths;

namespace CdnProxy.Server.Uploads;

/// <summary>
/// Folder, name and file id rules of uploads: every stored path is one the CDN URL grammar serves back (checked with
/// the real URL splitter), never one of CdnProxy's reserved names, and never a path that leaves the origin.
/// </summary>
public static class AssetPaths
{
    // In UTF-8 bytes: file systems allow 255 bytes per name, and the record beside a file adds ".{ext}.cdnproxy.json".
    // Counted in characters, 130 'ü' passed and the commit failed with a 500. Folders get the same bound as names.
    private const int MaxSegmentBytes = UploadFieldRules.MaxNameBytes;
    private const string UniqueAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A folder as given (<c>/a/b/</c>, <c>a/b</c>) made canonical (<c>a/b</c>; empty for the root), or a 400.</summary>
    public static string Folder(string? path)
    {
        var folder = (path ?? string.Empty).Trim().Trim('/');
        if (folder.Length > 0 && !IsAcceptable(folder))
        {
            throw CdnException.InvalidArgument("path must be a folder of plain names (no empty, '.', '..' or reserved segments)");
        }

        return folder;
    }

    /// <summary>
    /// The file name without extension: the one asked for, else the uploaded file's, else a random one; checked by the
    /// rules the clients check too (<see cref="UploadFieldRules.StoredNameRefusal"/>).
    /// </summary>
    public static string Name(string? name, string? uploadedFileName)
    {
        var chosen = !string.IsNullOrWhiteSpace(name) ? name.Trim() : UploadFieldRules.WithoutKnownExtension(Path.GetFileName(uploadedFileName ?? string.Empty));
        if (string.IsNullOrEmpty(chosen))
        {
            return RandomName(12);
        }

        chosen = UploadFieldRules.WithoutKnownExtension(chosen);
        if (UploadFieldRules.StoredNameRefusal(chosen) is not null)
        {
            throw CdnException.InvalidArgument("name must be a plain file name (no '/', not empty, not reserved)");
        }

        return chosen;
    }

    /// <summary>The file id (path inside the cloud) of <paramref name="name"/>.<paramref name="format"/> in <paramref name="folder"/>, checked against the URL grammar.</summary>
    public static string FileId(string cloud, string folder, string name, string format)
    {
        var fileId = (folder.Length == 0 ? string.Empty : folder + "/") + name + "." + format;
        return WhyNotServed(cloud, fileId) is { } reason ? throw CdnException.InvalidArgument(reason) : fileId;
    }

    /// <summary>True when <paramref name="fileId"/> is a stored path the CDN URL of <paramref name="cloud"/> serves back.</summary>
    public static bool IsServed(string cloud, string fileId) => WhyNotServed(cloud, fileId) is null;

    /// <summary>Why <paramref name="fileId"/> could not be stored and served back by its CDN URL; null when it can.</summary>
    private static string? WhyNotServed(string cloud, string fileId)
    {
        if (!IsAcceptable(fileId) || CdnUrlSplitter.IsTooLong(fileId))
        {
            return "The file's path is not valid or too long";
        }

        try
        {
            return CdnUrlSplitter.Split("/v2/" + cloud + "/original/" + fileId).FilePath == fileId
                ? null
                : "The file's path would not be served back by its CDN URL";
        }
        catch (CdnUrlException e)
        {
            return "The file's path would not be served back by its CDN URL: " + e.Message;
        }
    }

    /// <summary>A name not taken yet, most likely: <paramref name="name"/> plus <c>_</c> and six random characters (Pixelbin's <c>filenameOverride</c>).</summary>
    public static string Unique(string name) => name + "_" + RandomName(6);

    /// <summary><paramref name="fileId"/> as it appears in a CDN URL: each segment percent-encoded (spaces, non-ASCII, reserved characters).</summary>
    public static string Encode(string fileId) => string.Join('/', fileId.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A file id from an API route (already decoded once by routing) checked like a stored path; null when it cannot name a file.</summary>
    public static string? Existing(string? fileId)
    {
        var trimmed = (fileId ?? string.Empty).TrimStart('/');
        return trimmed.Length > 0 && IsAcceptable(trimmed) ? trimmed : null;
    }

    private static bool IsAcceptable(string path) =>
        StoragePath.IsSafeRelative(path) && !StoragePath.IsReserved(path)
        && path.Split('/').All(s => Encoding.UTF8.GetByteCount(s) <= MaxSegmentBytes && s.Trim().Length == s.Length && !s.Any(char.IsControl));

    private static string RandomName(int length) => RandomNumberGenerator.GetString(UniqueAlphabet, length);
}
