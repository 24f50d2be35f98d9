using System.Text.Json;
using CdnProxy.Tests.Common;
using YamlDotNet.RepresentationModel;

namespace CdnProxy.Server.Tests;

/// <summary>The YAML files under deploy/, parsed, with accessors for what the deployment tests check.</summary>
internal static class DeployManifests
{
    public static string Folder => Path.Combine(TestImages.RepositoryRoot, "deploy");

    public static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(Folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(TestImages.RepositoryRoot, path).Replace('\\', '/');

    public static IReadOnlyList<YamlMappingNode> Documents(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return stream.Documents
            .Select(d => d.RootNode as YamlMappingNode ?? throw new InvalidDataException($"{Relative(path)}: a document is not a mapping"))
            .ToList();
    }

    /// <summary>Every Kubernetes object of deploy/k8s (the kustomization file is kustomize's, not an object).</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Object)> KubernetesObjects() =>
        YamlFiles()
            .Where(f => Relative(f).StartsWith("deploy/k8s/", StringComparison.Ordinal))
            .SelectMany(f => Documents(f).Select(d => (File: Relative(f), Object: d)))
            .Where(o => Scalar(o.Object, "kind") != "Kustomization")
            .ToList();

    public static YamlMappingNode Object(string kind, string name) =>
        KubernetesObjects().Single(o => Scalar(o.Object, "kind") == kind && Scalar(o.Object, "metadata", "name") == name).Object;

    public static IEnumerable<YamlMappingNode> Containers(YamlMappingNode workload) =>
        Sequence(workload, "spec", "template", "spec", "containers").Cast<YamlMappingNode>();

    /// <summary>The docker-compose service definitions by name.</summary>
    public static IReadOnlyDictionary<string, YamlMappingNode> ComposeServices()
    {
        var compose = Documents(Path.Combine(Folder, "docker-compose.yml")).Single();
        return ((YamlMappingNode)compose["services"]).Children
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => (YamlMappingNode)c.Value, StringComparer.Ordinal);
    }

    /// <summary>Environment variable names and literal values of a container (k8s <c>env</c>) or a compose service.</summary>
    public static IReadOnlyDictionary<string, string?> Environment(YamlMappingNode containerOrService)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Node(containerOrService, "env") is YamlSequenceNode k8s)
        {
            foreach (var entry in k8s.Cast<YamlMappingNode>())
            {
                result[Scalar(entry, "name")!] = Scalar(entry, "value");
            }
        }
        else if (Node(containerOrService, "environment") is YamlMappingNode composeMap)
        {
            foreach (var (key, value) in composeMap.Children)
            {
                result[((YamlScalarNode)key).Value!] = (value as YamlScalarNode)?.Value;
            }
        }
        else if (Node(containerOrService, "environment") is YamlSequenceNode composeList)
        {
            foreach (var item in composeList.Cast<YamlScalarNode>())
            {
                var text = item.Value ?? string.Empty;
                var equals = text.IndexOf('=', StringComparison.Ordinal);
                result[equals < 0 ? text : text[..equals]] = equals < 0 ? null : text[(equals + 1)..];
            }
        }

        return result;
    }

    /// <summary>Every leaf key path of a JSON document (<c>CdnProxy:Cache:Memory:MaxBytes</c>); arrays give index segments.</summary>
    public static IEnumerable<string[]> JsonKeyPaths(string json)
    {
        using var document = JsonDocument.Parse(json);
        var paths = new List<string[]>();
        Collect(document.RootElement, [], paths);
        return paths;
    }

    private static void Collect(JsonElement element, string[] path, List<string[]> paths)
    {
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => (Key: p.Name, Value: p.Value)).ToList(),
            JsonValueKind.Array => element.EnumerateArray().Select((v, i) => (Key: i.ToString(System.Globalization.CultureInfo.InvariantCulture), Value: v)).ToList(),
            _ => null,
        };
        if (children is null || children.Count == 0)
        {
            paths.Add(path);
            return;
        }

        foreach (var (key, value) in children)
        {
            Collect(value, [.. path, key], paths);
        }
    }

    public static YamlNode? Node(YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Scalar(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    public static YamlSequenceNode Sequence(YamlNode node, params string[] path) =>
        Node(node, path) as YamlSequenceNode ?? new YamlSequenceNode();
}
