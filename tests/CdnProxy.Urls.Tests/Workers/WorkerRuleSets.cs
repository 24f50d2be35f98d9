using System.Text.Json;
using System.Text.Json.Serialization;
using CdnProxy.Urls.Grammar;
using CdnProxy.Urls.Workers;

namespace CdnProxy.Urls.Tests.Workers;

/// <summary>Loads the example rule sets from the repository's <c>config/workers/</c>.</summary>
internal static class WorkerRuleSets
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static WorkerOptions Load(string name)
    {
        var path = Path.Combine(RepositoryRoot(), "config", "workers", name + ".json");
        return JsonSerializer.Deserialize<WorkerOptions>(File.ReadAllText(path), Json)
            ?? throw new InvalidOperationException($"{path} is empty.");
    }

    public static WorkerTranslator Translator(string name) => new(Load(name));

    /// <summary>Translates and checks that the pattern half of the result parses.</summary>
    public static string TranslateAndParse(WorkerTranslator translator, string workerPath)
    {
        var result = translator.Translate(workerPath);
        var pattern = result[..result.IndexOf('/', StringComparison.Ordinal)];
        PatternGrammar.Parse(pattern);
        return result;
    }

    private static string RepositoryRoot()
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
