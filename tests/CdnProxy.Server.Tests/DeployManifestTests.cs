using System.Net;
using System.Text;
using CdnProxy.Server.Api;
using CdnProxy.Server.Hosting;
using Microsoft.Extensions.Configuration;
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

        // Probes use the management port, which is the port the management listener binds; the public one is http.
        var ports = Sequence(container, "ports").Cast<YamlMappingNode>().ToDictionary(p => Scalar(p, "name")!, p => Scalar(p, "containerPort"));
        Assert.All(new[] { "readinessProbe", "livenessProbe", "startupProbe" }, p => Assert.Equal("management", Scalar(container, p, "httpGet", "port")));
        Assert.EndsWith(":" + ports["management"], Environment(container)["CdnProxy__Management__Urls"], StringComparison.Ordinal);
        Assert.EndsWith(":" + ports["http"], Environment(container)["ASPNETCORE_URLS"], StringComparison.Ordinal);
    }

    [Fact]
    public void PrometheusScrapesTheManagementPort_WhichTheServiceDoesNotExpose()
    {
        var deployment = Object("Deployment", ServerDeployment);
        var container = Containers(deployment).Single();
        var annotations = (YamlMappingNode)Node(deployment, "spec", "template", "metadata", "annotations")!;
        var managementPort = Sequence(container, "ports").Cast<YamlMappingNode>().Single(p => Scalar(p, "name") == "management");

        Assert.Equal("true", Scalar(annotations, "prometheus.io/scrape"));
        Assert.Equal("/metrics", Scalar(annotations, "prometheus.io/path"));
        Assert.Equal(Scalar(managementPort, "containerPort"), Scalar(annotations, "prometheus.io/port"));
        var service = Object("Service", ServerDeployment);
        Assert.DoesNotContain(Sequence(service, "spec", "ports").Cast<YamlMappingNode>(), p => Scalar(p, "targetPort") == "management");
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
    public void RuntimeGcSettingsAreHexDigitsTheAheadOfTimeRuntimeReads()
    {
        // The Native AOT runtime reads DOTNET_GC* variables as bare hex digits; "0x32" is a parse error there and ignored.
        var settings = Containers(Object("Deployment", ServerDeployment)).Concat([ComposeServices()[ServerComposeService]])
            .SelectMany(c => Environment(c))
            .Where(e => e.Key.StartsWith("DOTNET_GC", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(settings);
        Assert.All(settings, e => Assert.Matches("^[0-9a-fA-F]{1,8}$", e.Value));
        Assert.Equal(50, Convert.ToInt32(Environment(Containers(Object("Deployment", ServerDeployment)).Single())["DOTNET_GCHeapHardLimitPercent"], 16));
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

    [Fact]
    public void RedisNeedsThePasswordFromTheSecret_AndOnlyCdnProxyPodsMayReachIt()
    {
        var redis = Containers(Object("Deployment", "cdnproxy-redis")).Single();
        var args = Sequence(redis, "args").Cast<YamlScalarNode>().Select(n => n.Value).ToList();
        var requirepass = args.IndexOf("--requirepass");
        Assert.DoesNotContain("--protected-mode", args);
        Assert.True(requirepass >= 0 && args[requirepass + 1] == "$(REDIS_PASSWORD)", "redis-server needs --requirepass $(REDIS_PASSWORD)");
        Assert.Equal(RedisPasswordKey, SecretKeyOf(redis, "REDIS_PASSWORD"));

        // CdnProxy's configuration string carries the same password; Kubernetes expands $(VAR) only from variables above it.
        var server = Containers(Object("Deployment", ServerDeployment)).Single();
        var names = Sequence(server, "env").Cast<YamlMappingNode>().Select(e => Scalar(e, "name")).ToList();
        Assert.Equal(RedisPasswordKey, SecretKeyOf(server, "REDIS_PASSWORD"));
        Assert.Contains(",password=$(REDIS_PASSWORD)", Environment(server)["CdnProxy__Cache__Redis__Configuration"], StringComparison.Ordinal);
        Assert.True(names.IndexOf("REDIS_PASSWORD") < names.IndexOf("CdnProxy__Cache__Redis__Configuration"));
        Assert.NotNull(Scalar(Object("Secret", "cdnproxy-secrets"), "stringData", RedisPasswordKey));

        var policy = Object("NetworkPolicy", "cdnproxy-redis");
        var rule = Sequence(policy, "spec", "ingress").Cast<YamlMappingNode>().Single();
        Assert.Equal(Labels(Object("Deployment", "cdnproxy-redis"), "spec", "selector", "matchLabels"), Labels(policy, "spec", "podSelector", "matchLabels"));
        var allowed = Labels(Sequence(rule, "from").Cast<YamlMappingNode>().Single(), "podSelector", "matchLabels");
        Assert.Subset(Labels(Object("Deployment", ServerDeployment), "spec", "template", "metadata", "labels").ToHashSet(), allowed.ToHashSet());
        Assert.Equal(["6379"], Sequence(rule, "ports").Cast<YamlMappingNode>().Select(p => Scalar(p, "port")));
    }

    [Fact]
    public void CdnProxyPodsReachDnsRedisAndPublicOrigins_NotPrivateNetworksOrTheMetadataEndpoint()
    {
        var policy = Object("NetworkPolicy", "cdnproxy-egress");
        Assert.Equal(Labels(Object("Deployment", ServerDeployment), "spec", "selector", "matchLabels"), Labels(policy, "spec", "podSelector", "matchLabels"));
        Assert.Equal(["Egress"], Sequence(policy, "spec", "policyTypes").Cast<YamlScalarNode>().Select(n => n.Value));

        var rules = Sequence(policy, "spec", "egress").Cast<YamlMappingNode>().ToList();
        string[] Ports(YamlMappingNode rule) => [.. Sequence(rule, "ports").Cast<YamlMappingNode>().Select(p => $"{Scalar(p, "protocol")}/{Scalar(p, "port")}")];
        var peers = rules.ToDictionary(r => r, r => Node(r, "to") is YamlSequenceNode to ? to.Cast<YamlMappingNode>().ToList() : null);

        Assert.Contains(rules, r => peers[r] is null && Ports(r).Order().SequenceEqual(["TCP/53", "UDP/53"]));
        Assert.Contains(rules, r => Ports(r).SequenceEqual(["TCP/6379"]) && peers[r]!.Single() is { } peer
            && Labels(peer, "podSelector", "matchLabels").SequenceEqual(Labels(Object("Deployment", "cdnproxy-redis"), "spec", "selector", "matchLabels")));
        var origins = rules.Single(r => Ports(r).Contains("TCP/443"));
        var ipv4 = peers[origins]!.Single(p => Scalar(p, "ipBlock", "cidr") == "0.0.0.0/0");
        Assert.Superset(
            new HashSet<string> { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16" },
            Sequence(ipv4, "ipBlock", "except").Cast<YamlScalarNode>().Select(n => n.Value!).ToHashSet());
        Assert.All(rules.Where(r => r != origins), r => Assert.DoesNotContain(peers[r] ?? [], p => Node(p, "ipBlock") is not null));
    }

    [Fact]
    public void PlaceholderSecretsStopTheServerOrCompose()
    {
        var secret = (YamlMappingNode)Node(Object("Secret", "cdnproxy-secrets"), "stringData")!;
        var apiKeys = secret.Children.Where(c => ((YamlScalarNode)c.Key).Value!.StartsWith("api-key-", StringComparison.Ordinal))
            .Select(c => ((YamlScalarNode)c.Value).Value).ToList();
        var failures = new List<string>();
        new ApiOptions { Keys = [.. apiKeys.OfType<string>()] }.Validate(failures, clouds: []);
        Assert.NotEmpty(apiKeys);
        Assert.Equal(apiKeys.Count, failures.Count);

        // Compose has no default for a secret: ${VAR:?message} refuses to start without it.
        var secretValues = ComposeServices().Values.SelectMany(s => Environment(s).Values)
            .Where(v => v is not null && (v.Contains("CDNPROXY_API_KEY", StringComparison.Ordinal) || v.Contains("MINIO_ROOT_PASSWORD", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(4, secretValues.Count);
        Assert.All(secretValues, v => Assert.Matches(@"^\$\{[A-Z_]+:\?[^}]+\}$", v));
    }

    [Fact]
    public void RedisTtlCoversTheFreshAndStaleWindows_InKubernetesAndCompose()
    {
        var kubernetes = KubernetesConfiguration();
        var compose = ComposeConfiguration();

        foreach (var (name, builder) in new[] { ("k8s", kubernetes), ("compose", compose) })
        {
            var options = builder.Build().GetSection(CdnProxyOptions.SectionName).Get<CdnProxyOptions>()!;
            var result = new CdnProxyOptionsValidator().Validate(null, options);
            var ttlFailures = (result.Failures ?? []).Where(f => f.Contains("Redis:TtlSeconds", StringComparison.Ordinal));

            Assert.True(options.Cache.Redis.Enabled, name);
            Assert.Empty(ttlFailures);
        }
    }

    [Fact]
    public void KubernetesReplicasKeepNoStateInThePod()
    {
        // A pod's root filesystem is read-only and DataDirectory (/data) has no volume: a writable local cloud (the
        // built-in `uploads`) or SQLite jobs would stop start-up there, and each replica would see other files and jobs.
        var options = KubernetesConfiguration().Build().GetSection(CdnProxyOptions.SectionName).Get<CdnProxyOptions>()!;
        var origins = options.Clouds.SelectMany(c => new[] { (Place: c.Key, Origin: c.Value.Origin) }
            .Concat(c.Value.Zones.Select(z => (Place: $"{c.Key}:Zones:{z.Key}", Origin: z.Value.Origin!)).Where(z => z.Origin is not null)));
        var localWritable = origins.Where(o => o.Origin.Writable && o.Origin.Type == "local").Select(o => o.Place).ToList();

        Assert.Empty(localWritable);
        Assert.True(!options.Jobs.Enabled || options.Jobs.Store != "sqlite", "Jobs on SQLite keep one store per replica");
        Assert.True(options.Clouds[options.Uploads.DefaultCloud].Origin.Writable, "the default upload cloud stays writable");
    }

    [Fact]
    public void MemoryLimitsHoldWhatTheServerMayHoldAtOnce_InKubernetesAndCompose()
    {
        // Resident at render load with the cache off, runtime and libvips pages included (docs/benchmarks.md).
        const long baselineBytes = 100L * 1024 * 1024;
        var server = Containers(Object("Deployment", ServerDeployment)).Single();
        var limits = new[]
        {
            ("k8s", KubernetesConfiguration(), MemoryBytes(Scalar(server, "resources", "limits", "memory")!)),
            ("compose", ComposeConfiguration(), MemoryBytes(Scalar(ComposeServices()[ServerComposeService], "deploy", "resources", "limits", "memory")!)),
        };

        foreach (var (name, builder, limit) in limits)
        {
            // Each bound holds on its own: the memory tier full, renders up to their budget, job bodies being read.
            var options = builder.Build().GetSection(CdnProxyOptions.SectionName).Get<CdnProxyOptions>()!;
            var jobBodies = options.Jobs.Enabled ? options.Jobs.MaxBufferedBodyBytes : 0;
            var needed = baselineBytes + options.Cache.Memory.MaxBytes + options.Limits.RenderMemoryBytes + jobBodies;
            Assert.True(needed <= limit, $"{name}: memory limit {limit >> 20} MiB < {needed >> 20} MiB (baseline {baselineBytes >> 20} + cache {options.Cache.Memory.MaxBytes >> 20} + render budget {options.Limits.RenderMemoryBytes >> 20} + job bodies {jobBodies >> 20})");
        }
    }

    /// <summary>Kubernetes' binary suffixes (Mi, Gi) and compose's (m, g: also powers of 1024).</summary>
    private static long MemoryBytes(string quantity)
    {
        var digits = quantity.TrimEnd('i', 'I', 'b', 'B');
        var (number, shift) = char.ToUpperInvariant(digits[^1]) switch
        {
            'K' => (digits[..^1], 10),
            'M' => (digits[..^1], 20),
            'G' => (digits[..^1], 30),
            _ => (digits, 0),
        };
        return long.Parse(number, System.Globalization.CultureInfo.InvariantCulture) << shift;
    }

    /// <summary>The server's configuration in compose: built-in file, then the service's variables.</summary>
    private static ConfigurationBuilder ComposeConfiguration()
    {
        var builder = new ConfigurationBuilder();
        builder.AddJsonFile(Path.Combine(CdnProxy.Tests.Common.TestImages.RepositoryRoot, "config", "cdnproxy.json"))
            .AddInMemoryCollection(AsSettings(Environment(ComposeServices()[ServerComposeService])));
        return builder;
    }

    /// <summary>The server's configuration in a pod: built-in file, the ConfigMap's file, then the Deployment's variables.</summary>
    private static ConfigurationBuilder KubernetesConfiguration()
    {
        var builder = new ConfigurationBuilder();
        builder.AddJsonFile(Path.Combine(CdnProxy.Tests.Common.TestImages.RepositoryRoot, "config", "cdnproxy.json"))
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Scalar(Object("ConfigMap", "cdnproxy-config"), "data", "cdnproxy.Production.json")!)))
            .AddInMemoryCollection(AsSettings(Environment(Containers(Object("Deployment", ServerDeployment)).Single())));
        return builder;
    }

    private const string RedisPasswordKey = "redis-password";

    private static string? SecretKeyOf(YamlMappingNode container, string variable) =>
        Sequence(container, "env").Cast<YamlMappingNode>()
            .Where(e => Scalar(e, "name") == variable)
            .Select(e => Scalar(e, "valueFrom", "secretKeyRef", "key"))
            .SingleOrDefault();

    private static IEnumerable<KeyValuePair<string, string>> Labels(YamlNode node, params string[] path) =>
        ((YamlMappingNode)Node(node, path)!).Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ((YamlScalarNode)c.Value).Value!));

    private static Dictionary<string, string?> AsSettings(IReadOnlyDictionary<string, string?> environment) =>
        environment.Where(e => e.Key.StartsWith(CdnProxyOptions.SectionName + "__", StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value);

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
