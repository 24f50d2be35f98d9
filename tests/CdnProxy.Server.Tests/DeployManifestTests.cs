using System.Net;
using CdnProxy.Server.Hosting;
using YamlDotNet.RepresentationModel;
using static CdnProxy.Server.Tests.DeployManifests;

namespace CdnProxy.Server.Tests;

/// <summary>
/// deploy/ cannot be applied here (no cluster, no Docker engine), so this checks what can be checked: every file parses,
/// every object is well-formed, the probes reach real endpoints, and every configuration key names a real option.
/// </summary>
public sealed class DeployManifestTests : IClassFixture<CdnProxyFactory>
{
    private const string ServerDeployment = "cdnproxy";
    private const string ServerComposeService = "cdnproxy";

    private readonly CdnProxyFactory _factory;

    public DeployManifestTests(CdnProxyFactory factory)
    {
        _factory = factory;
    }

    public static TheoryData<string> Files() => [.. YamlFiles().Select(Relative)];

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryYamlFileParses(string file)
    {
        var documents = Documents(Path.Combine(CdnProxy.Tests.Common.TestImages.RepositoryRoot, file));

        Assert.NotEmpty(documents);
    }

    [Fact]
    public void TheManifestsAndTheComposeFileExist()
    {
        var kinds = KubernetesObjects().Select(o => Scalar(o.Object, "kind")).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(
            new HashSet<string?>(["Deployment", "Service", "ConfigMap", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"], StringComparer.Ordinal),
            kinds);
        Assert.Contains(ServerComposeService, ComposeServices().Keys);
        Assert.Contains("redis", ComposeServices().Keys);
    }

    [Fact]
    public void EveryKubernetesObjectHasApiVersionKindAndName()
    {
        var incomplete = KubernetesObjects()
            .Where(o => new[] { Scalar(o.Object, "apiVersion"), Scalar(o.Object, "kind"), Scalar(o.Object, "metadata", "name") }.Any(string.IsNullOrWhiteSpace))
            .Select(o => $"{o.File}: {o.Object}")
            .ToList();

        Assert.Empty(incomplete);
    }

    [Fact]
    public void KustomizationListsEveryManifest()
    {
        var folder = Path.Combine(Folder, "k8s");
        var listed = Sequence(Documents(Path.Combine(folder, "kustomization.yaml")).Single(), "resources")
            .Cast<YamlScalarNode>().Select(n => n.Value).ToHashSet(StringComparer.Ordinal);
        var present = Directory.EnumerateFiles(folder, "*.yaml").Select(Path.GetFileName)
            .Where(n => n != "kustomization.yaml").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeploymentProbesPointToTheServersHealthEndpoints()
    {
        var container = Containers(Object("Deployment", ServerDeployment)).Single();
        var readiness = Scalar(container, "readinessProbe", "httpGet", "path");
        var liveness = Scalar(container, "livenessProbe", "httpGet", "path");
        var startup = Scalar(container, "startupProbe", "httpGet", "path");

        Assert.Equal("/healthz/ready", readiness);
        Assert.Equal("/healthz/live", liveness);
        Assert.NotNull(startup);
        using var client = _factory.CreateClient();
        foreach (var path in new[] { readiness, liveness, startup })
        {
            using var response = await client.GetAsync(new Uri(path!, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }

        // Probes use the named port, which is the port the server listens on.
        var port = Sequence(container, "ports").Cast<YamlMappingNode>().Single(p => Scalar(p, "name") == "http");
        Assert.All(new[] { "readinessProbe", "livenessProbe", "startupProbe" }, p => Assert.Equal("http", Scalar(container, p, "httpGet", "port")));
        Assert.EndsWith(":" + Scalar(port, "containerPort"), Environment(container)["ASPNETCORE_URLS"], StringComparison.Ordinal);
    }

    [Fact]
    public void ServerContainersSetMallocArenaMaxAndEveryContainerHasResourceLimits()
    {
        var server = Containers(Object("Deployment", ServerDeployment)).Single();
        Assert.Equal("2", Environment(server)["MALLOC_ARENA_MAX"]);
        Assert.Equal("2", Environment(ComposeServices()[ServerComposeService])["MALLOC_ARENA_MAX"]);
        Assert.NotNull(Scalar(ComposeServices()[ServerComposeService], "deploy", "resources", "limits", "memory"));

        var containers = KubernetesObjects()
            .Where(o => Scalar(o.Object, "kind") == "Deployment")
            .SelectMany(o => Containers(o.Object).Select(c => (Name: $"{o.File}/{Scalar(c, "name")}", Container: c)))
            .ToList();
        Assert.NotEmpty(containers);
        foreach (var (name, container) in containers)
        {
            foreach (var (section, resource) in new[] { ("limits", "cpu"), ("limits", "memory"), ("requests", "cpu"), ("requests", "memory") })
            {
                Assert.False(string.IsNullOrWhiteSpace(Scalar(container, "resources", section, resource)), $"{name}: no resources.{section}.{resource}");
            }

            Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        }
    }

    [Fact]
    public void ConfigMapIsMountedWhereTheServerReadsItsEnvironmentFile()
    {
        var configMap = Object("ConfigMap", "cdnproxy-config");
        var mount = Sequence(Containers(Object("Deployment", ServerDeployment)).Single(), "volumeMounts")
            .Cast<YamlMappingNode>().Single(m => Scalar(m, "mountPath")!.StartsWith("/app/config/", StringComparison.Ordinal));

        // Program.cs reads config/cdnproxy.{Environment}.json; the environment is Production unless set.
        Assert.Equal("/app/config/cdnproxy.Production.json", Scalar(mount, "mountPath"));
        Assert.NotNull(Scalar(configMap, "data", Scalar(mount, "subPath")!));
    }

    [Fact]
    public void EveryCdnProxyEnvironmentVariableNamesAnOption()
    {
        var names = KubernetesObjects()
            .Where(o => Scalar(o.Object, "kind") == "Deployment")
            .SelectMany(o => Containers(o.Object))
            .Concat(ComposeServices().Values)
            .SelectMany(c => Environment(c).Keys)
            .Where(n => n.StartsWith(CdnProxyOptions.SectionName + "__", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(names);
        AssertEveryPathBinds(names.Select(n => n.Split("__")));
    }

    [Fact]
    public void EveryKeyOfTheConfigMapsJsonNamesAnOption()
    {
        var json = Scalar(Object("ConfigMap", "cdnproxy-config"), "data", "cdnproxy.Production.json")!;
        var paths = JsonKeyPaths(json).Where(p => p.Length > 0 && p[0] == CdnProxyOptions.SectionName).ToList();

        Assert.NotEmpty(paths);
        AssertEveryPathBinds(paths);
    }

    private static void AssertEveryPathBinds(IEnumerable<string[]> paths)
    {
        var unknown = paths
            .Select(p => p[0].Equals(CdnProxyOptions.SectionName, StringComparison.OrdinalIgnoreCase)
                ? OptionPaths.FirstUnknownPrefix(typeof(CdnProxyOptions), p[1..])
                : string.Join(':', p))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(unknown.Count == 0, "Configuration keys that name no property of CdnProxyOptions: " + string.Join(", ", unknown));
    }
}
