using System.Reflection;
using MPM.Web;
using Xunit;

namespace MPM.Core.Tests.Architecture;

/// <summary>
/// The layering rules, read from the repository's project files. Each rule is also run on a project that
/// breaks it, so that a check which could never fail would be noticed.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string[] MsBuildExtensions = [".csproj", ".props", ".targets"];

    private static ProjectFile Csproj(string path, string items) =>
        ProjectFile.Parse(path, $"""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>{items}</ItemGroup></Project>""");

    [Fact]
    public void TheRepositoryIsFound()
    {
        Assert.True(File.Exists(Path.Combine(Repository.Root, "sdk", "MPM.Sdk", "MPM.Sdk.csproj")));
        Assert.Contains(Repository.MsBuildFiles("sdk", ".csproj"), f => f.RelativePath == "sdk/MPM.Sdk/MPM.Sdk.csproj");
        Assert.Contains(Repository.MsBuildFiles("samples", ".csproj"), f => f.RelativePath == "samples/MPM.Samples.Hello/MPM.Samples.Hello.csproj");
        Assert.Contains(Repository.MsBuildFiles("core", ".csproj"), f => f.RelativePath == "core/MPM.Web/MPM.Web.csproj");
    }

    [Fact]
    public void NoSdkProjectReferencesTheHostsLibrariesOrAProjectOutsideSdk()
    {
        var files = Repository.MsBuildFiles("sdk", MsBuildExtensions);

        Assert.NotEmpty(files);
        Assert.Empty(files.SelectMany(ProjectRules.SdkIsSelfContained));
    }

    [Theory]
    [InlineData("""<PackageReference Include="Autofac" />""")]
    [InlineData("""<PackageReference Include="Autofac.Extensions.DependencyInjection" />""")]
    [InlineData("""<PackageReference Include="linq2db" Version="6.5.1" />""")]
    [InlineData("""<PackageReference Include="Npgsql" />""")]
    [InlineData("""<PackageReference Include="Coravel" />""")]
    [InlineData("""<PackageReference Include="McMaster.NETCore.Plugins" />""")]
    [InlineData("""<ProjectReference Include="../../core/MPM.Core/MPM.Core.csproj" />""")]
    [InlineData("""<ProjectReference Include="..\..\plugins\MPM.Plugins.Sts\MPM.Plugins.Sts.csproj" />""")]
    [InlineData("""<ProjectReference Include="$(SomeRoot)/MPM.Other.csproj" />""")]
    public void TheSdkRuleCatchesABadProject(string items)
    {
        var problems = ProjectRules.SdkIsSelfContained(Csproj("sdk/MPM.Sdk/MPM.Sdk.csproj", items)).ToList();

        Assert.Single(problems);
        Assert.StartsWith("sdk/MPM.Sdk/MPM.Sdk.csproj: ", problems[0]);
    }

    [Fact]
    public void TheSdkRuleAllowsTheFrameworkAnalyzersAndOtherSdkProjects() =>
        Assert.Empty(ProjectRules.SdkIsSelfContained(Csproj("sdk/MPM.Sdk.Extra/MPM.Sdk.Extra.csproj", """
            <FrameworkReference Include="Microsoft.AspNetCore.App" />
            <PackageReference Include="Microsoft.CodeAnalysis.PublicApiAnalyzers" PrivateAssets="all" />
            <ProjectReference Include="../MPM.Sdk/MPM.Sdk.csproj" />
            """)));

    [Fact]
    public void NoPluginOrSampleReferencesTheCore()
    {
        // The plugin projects, their Directory.Build files and the shared plugin build files they import.
        var files = Repository.MsBuildFiles("plugins", MsBuildExtensions)
            .Concat(Repository.MsBuildFiles("samples", MsBuildExtensions))
            .Concat(Repository.MsBuildFiles("build", ".props", ".targets").Where(f => f.RelativePath.StartsWith("build/Plugin.", StringComparison.Ordinal)))
            .ToList();

        Assert.Contains(files, f => f.RelativePath == "build/Plugin.props");
        Assert.Contains(files, f => f.RelativePath.StartsWith("plugins/", StringComparison.Ordinal) && f.RelativePath.EndsWith(".csproj", StringComparison.Ordinal));
        Assert.Empty(files.SelectMany(ProjectRules.PluginDoesNotReferenceCore));
    }

    [Theory]
    [InlineData("plugins/MPM.Plugins.X/MPM.Plugins.X.csproj", """<ProjectReference Include="../../core/MPM.Web/MPM.Web.csproj" />""")]
    [InlineData("plugins/MPM.Plugins.X/MPM.Plugins.X.csproj", """<ProjectReference Include="..\..\core\MPM.Data\MPM.Data.csproj" ReferenceOutputAssembly="false" />""")]
    [InlineData("samples/MPM.Samples.X/MPM.Samples.X.csproj", """<ProjectReference Include="$(MSBuildProjectDirectory)/../../core/MPM.Core/MPM.Core.csproj" />""")]
    [InlineData("build/Plugin.props", """<ProjectReference Include="$(MSBuildThisFileDirectory)../core/MPM.Core/MPM.Core.csproj" />""")]
    [InlineData("plugins/MPM.Plugins.X/MPM.Plugins.X.csproj", """<ProjectReference Include="$(CoreDir)/MPM.Core.csproj" />""")]
    public void ThePluginRuleCatchesAReferenceToTheCore(string path, string items) =>
        Assert.Single(ProjectRules.PluginDoesNotReferenceCore(Csproj(path, items)));

    [Fact]
    public void ThePluginRuleAllowsTheSdk() =>
        Assert.Empty(ProjectRules.PluginDoesNotReferenceCore(Csproj("build/Plugin.props",
            """<ProjectReference Include="$(MSBuildThisFileDirectory)../sdk/MPM.Sdk/MPM.Sdk.csproj" Private="false" ExcludeAssets="runtime" />""")));

    [Fact]
    public void TheCoreReferencesPluginProjectsOnlyForBuildOrder()
    {
        var files = Repository.MsBuildFiles("core", MsBuildExtensions);
        var pluginReferences = files.SelectMany(f => f.Items("ProjectReference").Select(r => f.Resolve(r.Attribute("Include")!.Value)))
            .Where(t => t is not null && (t.StartsWith("plugins/", StringComparison.Ordinal) || t.StartsWith("samples/", StringComparison.Ordinal)))
            .ToList();

        // The host does build the shipped plugins: the rule has something to check.
        Assert.Contains("samples/MPM.Samples.Hello/MPM.Samples.Hello.csproj", pluginReferences);
        Assert.Empty(files.SelectMany(ProjectRules.CoreReferencesPluginsForBuildOrderOnly));
    }

    [Theory]
    [InlineData("""<ProjectReference Include="../../samples/MPM.Samples.Hello/MPM.Samples.Hello.csproj" />""")]
    [InlineData("""<ProjectReference Include="../../plugins/MPM.Plugins.Sts/MPM.Plugins.Sts.csproj" ReferenceOutputAssembly="true" />""")]
    [InlineData("""<ProjectReference Include="..\..\plugins\MPM.Plugins.Sts\MPM.Plugins.Sts.csproj" Private="false" />""")]
    [InlineData("""<ProjectReference Include="../../plugins/X/X.csproj"><ReferenceOutputAssembly>true</ReferenceOutputAssembly></ProjectReference>""")]
    public void TheCoreRuleCatchesALinkedPlugin(string items) =>
        Assert.Single(ProjectRules.CoreReferencesPluginsForBuildOrderOnly(Csproj("core/MPM.Web/MPM.Web.csproj", items)));

    [Fact]
    public void TheCoreRuleAcceptsMetadataAsAnElementAndIgnoresCoreProjects() =>
        Assert.Empty(ProjectRules.CoreReferencesPluginsForBuildOrderOnly(Csproj("core/MPM.Web/MPM.Web.csproj", """
            <ProjectReference Include="../MPM.Data/MPM.Data.csproj" />
            <ProjectReference Include="../../sdk/MPM.Sdk/MPM.Sdk.csproj" />
            <ProjectReference Include="../../plugins/X/X.csproj"><ReferenceOutputAssembly>false</ReferenceOutputAssembly></ProjectReference>
            """)));

    [Fact]
    public void TheHostAssemblyLinksNoPluginAssembly()
    {
        var host = typeof(MpmApp).Assembly;
        var references = host.GetReferencedAssemblies();

        Assert.Contains(references, r => r.Name == "MPM.Sdk");
        Assert.Empty(ProjectRules.NoPluginAssembly(host.GetName().Name!, references));
        foreach (var core in references.Where(r => r.Name is "MPM.Core" or "MPM.Data"))
        {
            Assert.Empty(ProjectRules.NoPluginAssembly(core.Name!, Assembly.Load(core).GetReferencedAssemblies()));
        }
    }

    [Fact]
    public void TheAssemblyRuleCatchesAPluginReference()
    {
        AssemblyName[] references = [new("MPM.Sdk"), new("MPM.Samples.Hello"), new("MPM.Plugins.OpenPaygo"), new("MPM.PluginsX")];

        Assert.Equal(2, ProjectRules.NoPluginAssembly("MPM.Web", references).Count());
    }

    [Fact]
    public void NoPluginAssemblyIsCopiedNextToTheHost()
    {
        var bin = AppContext.BaseDirectory;

        Assert.True(File.Exists(Path.Combine(bin, "MPM.Web.dll")));
        Assert.True(File.Exists(Path.Combine(bin, "plugins", "MPM.Samples.Hello", "MPM.Samples.Hello.dll")), "the host's build copies the sample plugin to plugins/");
        Assert.Empty(Directory.GetFiles(bin, "MPM.Plugins.*.dll").Concat(Directory.GetFiles(bin, "MPM.Samples.*.dll")));
    }
}
