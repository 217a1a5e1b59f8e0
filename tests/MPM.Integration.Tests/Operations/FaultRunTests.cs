using MPM.Testing.Faults;
using Xunit;
using Xunit.Abstractions;

namespace MPM.Integration.Tests.Operations;

/// <summary>
/// The short form of the load-and-fault run (README, "faults"): the real host as a process on a PostgreSQL of its own,
/// mixed traffic for 25 s, one hard kill of the host and one PostgreSQL restart, then every payment checked for
/// exactly-once processing. It waits for conditions (host ready, pipeline drained) with generous deadlines, never for a time.
/// </summary>
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Payments_survive_a_host_kill_and_a_PostgreSQL_restart_exactly_once()
    {
        var text = new StringWriter();

        var report = await FaultRun.RunAsync(new FaultOptions(Seconds: 25, Rate: 16, HostKills: 1, PostgresRestarts: 1, Customers: 60), text);

        output.WriteLine(text.ToString());
        Assert.True(report.Violations.Count == 0, string.Join("\n", report.Violations.Take(30)));
        Assert.Equal((1, 1), (report.HostKills, report.PostgresRestarts));
        Assert.True(report.Accepted > 0, "no payment was accepted");
        Assert.All(Enum.GetValues<RequestKind>(), kind => Assert.True(report.Answered.GetValueOrDefault(kind) > 0, $"no {kind} request was answered"));
    }
}
