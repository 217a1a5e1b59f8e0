using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using MPM.Data.Postgres;
using MPM.Testing;
using MPM.Web.Demo;
using Npgsql;
using Xunit;

namespace MPM.Integration.Tests.Demo;

/// <summary>The README's run command, as a user runs it: the built host, no connection string, a fresh data directory.</summary>
public sealed partial class FirstStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_first_start_of_an_empty_embedded_database_seeds_the_demo_and_prints_a_login_that_works()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"mpm-first-start-{Guid.NewGuid():N}"[..30]);
        var cluster = EmbeddedPostgres.For(dataDirectory);
        var output = new List<string>();
        var welcome = new TaskCompletionSource<(string Url, string Email, string Password)>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? url = null;
        using var host = StartHost(dataDirectory, line =>
        {
            lock (output)
            {
                output.Add(line);
                url ??= RunningAt().Match(line) is { Success: true } running ? running.Groups[1].Value : null;
                if (LogInAs().Match(line) is { Success: true } login && url is not null)
                {
                    welcome.TrySetResult((url, login.Groups[1].Value, login.Groups[2].Value));
                }
            }
        });
        try
        {
            var finished = await Task.WhenAny(welcome.Task, host.WaitForExitAsync(), Task.Delay(StartTimeout));
            Assert.True(finished == welcome.Task, "no URL and demo login printed:\n" + string.Join("\n", Snapshot(output)));
            var (baseUrl, email, password) = await welcome.Task;
            Assert.Equal((DemoFirstStart.AdminEmail, DemoFirstStart.AdminPassword), (email, password));

            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
            var login = await MpmWebFactory.PostFormAsync(client, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal("/", login.Headers.Location?.OriginalString);
            var customers = await client.GetAsync("/Customers");
            Assert.Equal(HttpStatusCode.OK, customers.StatusCode);

            await using var db = new NpgsqlConnection(cluster.AdminConnectionString("mpm") + ";Pooling=false");
            await db.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM mpm.customers), (SELECT count(*) FROM mpm.meters), (SELECT string_agg(email, ',') FROM mpm.users)", db);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((DemoOptions.DefaultCustomers, DemoOptions.DefaultCustomers, DemoFirstStart.AdminEmail), ((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetString(2)));
        }
        finally
        {
            await StopAsync(host, cluster);
            TryDelete(dataDirectory);
            TryDelete(cluster.ClusterDirectory);
        }
    }

    /// <summary><c>dotnet core/MPM.Web/bin/&lt;configuration&gt;/net10.0/MPM.Web.dll --urls http://127.0.0.1:0</c>.</summary>
    private static Process StartHost(string dataDirectory, Action<string> onLine)
    {
        var binary = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = binary.Parent!.Name;
        var repository = binary;
        while (!File.Exists(Path.Combine(repository.FullName, "MPM.Platform.sln")))
        {
            repository = repository.Parent ?? throw new InvalidOperationException("MPM.Platform.sln not found above " + AppContext.BaseDirectory);
        }

        var web = Path.Combine(repository.FullName, "core", "MPM.Web", "bin", configuration, "net10.0", "MPM.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(web)! };
        start.ArgumentList.Add(web);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["MPM_DATA_DIR"] = dataDirectory;
        start.Environment.Remove("ConnectionStrings__Mpm");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => onLine(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => onLine(e.Data ?? "");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGTERM (the host stops its cluster); if it does not exit, kill it and stop the cluster it left running.</summary>
    private static async Task StopAsync(Process host, EmbeddedPostgres cluster)
    {
        if (!host.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await host.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }
        }

        if (File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")))
        {
            var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).First(File.Exists);
            string[] stop = [pgCtl, "stop", "-m", "fast", "-w", "-D", cluster.ClusterDirectory];
            using var process = Environment.UserName == "root" ? Process.Start("runuser", ["-u", "postgres", "--", .. stop]) : Process.Start(stop[0], stop[1..]);
            await process.WaitForExitAsync();
        }

        Assert.False(File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")), "the embedded cluster is still running");
    }

    private static List<string> Snapshot(List<string> output)
    {
        lock (output)
        {
            return [.. output];
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [GeneratedRegex(@"MPM Platform is running at (http://\S+)")]
    private static partial Regex RunningAt();

    [GeneratedRegex(@"Log in as (\S+) / (\S+)")]
    private static partial Regex LogInAs();
}
