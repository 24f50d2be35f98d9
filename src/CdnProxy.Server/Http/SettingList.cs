namespace CdnProxy.Server.Http;

/// <summary>A setting that lists values in one string (so one environment variable can hold it): spaces or commas between.</summary>
internal static class SettingList
{
    public static string[] Entries(string? setting) =>
        (setting ?? string.Empty).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
