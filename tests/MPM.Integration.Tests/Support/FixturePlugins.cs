namespace MPM.Integration.Tests.Support;

/// <summary>A plugins.json listing the fixture plugins and some broken entries, written to a temporary folder.</summary>
public static class FixturePlugins
{
    public const string Good = "fixture-good";
    public const string WrongSdk = "fixture-wrong-sdk";
    public const string Throwing = "fixture-throwing";
    public const string StraySdk = "fixture-stray-sdk";
    public const string Missing = "fixture-missing";
    public const string Unsafe = "fixture-unsafe";
    public const string Disabled = "fixture-disabled";

    /// <summary>The "settings" of fixture-good in plugins.json: greeting (read by its Configure) and retries (a declared setting).</summary>
    public const string GreetingFromFile = "hi";
    public const string RetriesFromFile = "7";

    public static string WriteFile()
    {
        var folder = Directory.CreateTempSubdirectory("mpm-fixture-plugins-").FullName;
        var file = Path.Combine(folder, "plugins.json");
        File.WriteAllText(file, $$"""
            {
              "plugins": [
                { "id": "{{Good}}", "path": "MPM.Fixtures.Good", "settings": { "greeting": "{{GreetingFromFile}}", "retries": {{RetriesFromFile}} } },
                { "id": "{{WrongSdk}}", "path": "MPM.Fixtures.WrongSdk" },
                { "id": "{{Throwing}}", "path": "MPM.Fixtures.Throwing" },
                { "id": "{{StraySdk}}", "path": "MPM.Fixtures.StraySdk" },
                { "id": "{{Missing}}", "path": "MPM.Fixtures.Missing" },
                { "id": "{{Unsafe}}", "path": "../x" },
                { "id": "{{StraySdk}}", "path": "MPM.Fixtures.StraySdk" },
                { "id": "{{Disabled}}", "path": "MPM.Fixtures.Good", "enabled": false }
              ]
            }
            """);
        return file;
    }
}
