using System.Diagnostics;
using MPM.Data.Postgres;

namespace MPM.Integration.Tests.Support;

/// <summary>Finding and cleaning up private PostgreSQL clusters that tests start.</summary>
public static class Clusters
{
    /// <summary>Process ids of postgres servers whose command line names <paramref name="clusterDirectory"/>.</summary>
    public static IReadOnlyList<int> ServerProcesses(string clusterDirectory)
    {
        var found = new List<int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (arguments.Length > 0 && Path.GetFileName(arguments[0]) == "postgres" && arguments.Contains(clusterDirectory))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Stops a cluster a failed test may have left running, and deletes its folders.</summary>
    public static void Remove(string dataDirectory)
    {
        var cluster = EmbeddedPostgres.For(dataDirectory);
        if (File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")))
        {
            var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).First(File.Exists);
            var start = Environment.UserName == "root"
                ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", pgCtl, "stop", "-m", "immediate", "-w", "-D", cluster.ClusterDirectory])
                : new ProcessStartInfo(pgCtl, ["stop", "-m", "immediate", "-w", "-D", cluster.ClusterDirectory]);
            start.RedirectStandardOutput = start.RedirectStandardError = true;
            using var process = Process.Start(start)!;
            process.WaitForExit(60_000);
        }

        foreach (var folder in new[] { dataDirectory, cluster.ClusterDirectory, cluster.SocketDirectory })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
