using MPM.Web.Plugins;
using Xunit;

namespace MPM.Core.Tests.Plugins;

public sealed class PluginManifestReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mpm-manifest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var file = Path.Combine(_folder, "plugin.json");
        File.WriteAllText(file, json);
        return file;
    }

    [Fact]
    public void ReadsAGoodManifest()
    {
        var manifest = PluginManifestReader.Read(Write("""
            { "id": "sts", "name": "STS tokens", "version": "1.2.3", "sdk": 1, "kinds": ["token", "other"], "assembly": "MPM.Plugins.Sts.dll" }
            """));

        Assert.Equal("sts", manifest.Id);
        Assert.Equal("STS tokens", manifest.Name);
        Assert.Equal("1.2.3", manifest.Version);
        Assert.Equal(1, manifest.Sdk);
        Assert.Equal(["token", "other"], manifest.Kinds);
        Assert.Equal("MPM.Plugins.Sts.dll", manifest.Assembly);
    }

    [Fact]
    public void ANameDefaultsToTheIdAndKindsToNone()
    {
        var manifest = PluginManifestReader.Read(Write("""{ "id": "x", "version": "1.0.0", "sdk": 1, "assembly": "X.dll" }"""));

        Assert.Equal("x", manifest.Name);
        Assert.Empty(manifest.Kinds);
    }

    [Theory]
    [InlineData("""{ "name": "X", "version": "1.0.0", "sdk": 1, "kinds": [], "assembly": "X.dll" }""")]
    [InlineData("""{ "id": " ", "name": "X", "version": "1.0.0", "sdk": 1, "kinds": [], "assembly": "X.dll" }""")]
    [InlineData("""{ "id": "x", "name": "X", "sdk": 1, "kinds": [], "assembly": "X.dll" }""")]
    [InlineData("""{ "id": "x", "name": "X", "version": "1.0.0", "sdk": 1, "kinds": [] }""")]
    [InlineData("""{ "id": "x", "name": "X", "version": "1.0.0", "sdk": 1, "kinds": [], "assembly": "" }""")]
    [InlineData("null")]
    public void MissingRequiredFieldsAreRejected(string json)
    {
        var error = Assert.Throws<PluginLoadException>(() => PluginManifestReader.Read(Write(json)));

        Assert.Contains("must give", error.Message);
    }

    [Fact]
    public void AnUnknownKindIsRejectedByName()
    {
        var error = Assert.Throws<PluginLoadException>(() => PluginManifestReader.Read(Write("""
            { "id": "x", "name": "X", "version": "1.0.0", "sdk": 1, "kinds": ["token", "teleport"], "assembly": "X.dll" }
            """)));

        Assert.Contains("teleport", error.Message);
        Assert.DoesNotContain("token", error.Message);
    }

    [Theory]
    [InlineData("sub/X.dll")]
    [InlineData("../X.dll")]
    [InlineData("/usr/lib/X.dll")]
    [InlineData("sub\\X.dll")]
    [InlineData("..\\X.dll")]
    [InlineData("~/X.dll")]
    [InlineData("C:\\X.dll")]
    public void AnAssemblyWithAPathIsRejected(string assembly)
    {
        var json = $$"""{ "id": "x", "name": "X", "version": "1.0.0", "sdk": 1, "kinds": [], "assembly": {{System.Text.Json.JsonSerializer.Serialize(assembly)}} }""";

        var error = Assert.Throws<PluginLoadException>(() => PluginManifestReader.Read(Write(json)));

        Assert.Contains("must be a file name", error.Message);
    }

    [Fact]
    public void InvalidJsonIsReported()
    {
        var error = Assert.Throws<PluginLoadException>(() => PluginManifestReader.Read(Write("{ \"id\": ")));

        Assert.Contains("not valid", error.Message);
    }

    [Fact]
    public void AMissingManifestNamesTheFolder()
    {
        var error = Assert.Throws<PluginLoadException>(() => PluginManifestReader.Read(Path.Combine(_folder, "plugin.json")));

        Assert.Contains("plugin.json not found", error.Message);
        Assert.Contains(_folder, error.Message);
    }
}
