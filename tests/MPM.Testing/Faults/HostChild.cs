using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace MPM.Testing.Faults;

/// <summary>
/// The built host (core/MPM.Web/bin/{configuration}/net10.0/MPM.Web.dll, with its plugins folder) as a child process
/// serving on a fixed loopback port, so that a restarted host answers at the same address. Its output goes to a log file.
/// </summary>
public sealed class HostChild(string connectionString, string logFile) : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; } = FreePort();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public int? ProcessId => _process?.Id;

    public static string HostFolder
    {
        get
        {
            var configuration = typeof(HostChild).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "MPM.Platform.sln")))
                {
                    var host = Path.Combine(folder.FullName, "core", "MPM.Web", "bin", configuration, "net10.0");
                    return File.Exists(Path.Combine(host, "MPM.Web.dll")) ? host : throw new FileNotFoundException($"the host is not built in {host}");
                }
            }

            throw new InvalidOperationException($"MPM.Platform.sln not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Starts the host and waits (up to <paramref name="deadline"/>) until /health/ready answers 200.</summary>
    public async Task StartAsync(TimeSpan deadline)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(HostFolder, "MPM.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseUrl);
        foreach (var name in new[] { "MPM_DATA_DIR", "Plugins__File", "Plugins__Root", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "MPM_TEST_DATABASE" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["ConnectionStrings__Mpm"] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__Console__FormatterOptions__IncludeScopes"] = "false";
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the host");
        _process.StandardInput.Close();
        var process = _process;
        _ = Task.Run(() => CopyAsync(process.StandardOutput, $"[host {process.Id} out] "));
        _ = Task.Run(() => CopyAsync(process.StandardError, $"[host {process.Id} err] "));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the host exited with {process.ExitCode} while starting; see {logFile}");
            }

            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"the host was not ready within {deadline.TotalSeconds:0} s; see {logFile}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Kills the host and everything it started at once (SIGKILL), as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private readonly object _logGate = new();

    private async Task CopyAsync(StreamReader reader, string prefix)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_logGate)
            {
                File.AppendAllText(logFile, prefix + line + Environment.NewLine);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
