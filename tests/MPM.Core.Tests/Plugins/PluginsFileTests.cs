using MPM.Web.Plugins;
using Xunit;

namespace MPM.Core.Tests.Plugins;

public sealed class PluginsFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mpm-plugins-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("/opt/plugins/x")]
    [InlineData("//server/share")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../b")]
    [InlineData("a/..")]
    [InlineData(".")]
    [InlineData("./x")]
    [InlineData("~")]
    [InlineData("~/plugins/x")]
    [InlineData("~root")]
    [InlineData("http://example.com/plugin")]
    [InlineData("https://example.com/plugin.zip")]
    [InlineData("file:///tmp/x")]
    [InlineData("C:\\plugins\\x")]
    [InlineData("c:x")]
    [InlineData("\\x")]
    [InlineData("\\\\server\\share")]
    [InlineData("..\\x")]
    [InlineData("a\\..\\b")]
    [InlineData("vendor\\MPM.Plugins.X")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("")]
    [InlineData("   ")]
    public void UnsafeOrEmptyPathsAreAProblem(string path)
    {
        var problem = PluginsFile.PathProblem(path);

        Assert.NotNull(problem);
        Assert.NotEqual("", problem.Trim());
    }

    [Theory]
    [InlineData("MPM.Samples.Hello")]
    [InlineData("MPM.Plugins.OpenPaygo")]
    [InlineData("vendor/MPM.Plugins.X")]
    [InlineData("my-plugin_2")]
    public void PlainRelativeFolderNamesAreFine(string path) => Assert.Null(PluginsFile.PathProblem(path));

    [Fact]
    public void TheProblemNamesThePath() => Assert.Contains("'../x'", PluginsFile.PathProblem("../x"));

    [Fact]
    public void ReadsEntriesInOrderWithCommentsTrailingCommasSettingsAndEnabledByDefault()
    {
        var file = Path.Combine(_folder, "plugins.json");
        File.WriteAllText(file, """
            {
              // the shipped plugins
              "plugins": [
                { "id": "hello", "path": "MPM.Samples.Hello", "settings": { "greeting": "hi", "retries": 3 } },
                { "id": "off", "path": "MPM.Off", "enabled": false, },
              ],
            }
            """);

        var entries = PluginsFile.Read(file);

        Assert.Equal(["hello", "off"], entries.Select(e => e.Id));
        Assert.Equal("MPM.Samples.Hello", entries[0].Path);
        Assert.True(entries[0].Enabled);
        Assert.False(entries[1].Enabled);
        Assert.Equal("hi", entries[0].Settings!.Value.GetProperty("greeting").GetString());
        Assert.Equal(3, entries[0].Settings!.Value.GetProperty("retries").GetInt32());
        Assert.Null(entries[1].Settings);
    }

    [Fact]
    public void MissingFieldsBecomeEmptyStringsSoThatLoadingReportsThem()
    {
        var file = Path.Combine(_folder, "plugins.json");
        File.WriteAllText(file, """{ "plugins": [ { "id": "x" } ] }""");

        var entry = Assert.Single(PluginsFile.Read(file));

        Assert.Equal("", entry.Path);
        Assert.NotNull(PluginsFile.PathProblem(entry.Path));
    }

    [Fact]
    public void AFileWithoutPluginsListsNone()
    {
        var file = Path.Combine(_folder, "plugins.json");
        File.WriteAllText(file, "{}");

        Assert.Empty(PluginsFile.Read(file));
    }

    [Fact]
    public void AMissingFileIsAnErrorNamingIt()
    {
        var file = Path.Combine(_folder, "nope.json");

        var error = Assert.Throws<InvalidOperationException>(() => PluginsFile.Read(file));

        Assert.Contains(file, error.Message);
    }
}
