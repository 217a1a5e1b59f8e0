using LinqToDB.Data;
using MPM.Data;

namespace MPM.Web.Features.Payments;

/// <summary>
/// This host's claims on pipeline work (payments waiting for their token, provider outcomes, SMS). A claim lasts
/// Pipeline:ClaimLease (default 60 s): after a hard kill, the dead host's claims expire after that and another host takes
/// the work. It must be longer than a batch can take (its token step: 32 payments, Pipeline:TokenConcurrency at a time,
/// each up to the token generator's timeout), or a slow batch's work would be taken by a second worker while the first
/// still does it; a lease under <see cref="MinimumLease"/> is refused at start. A graceful stop releases this host's
/// unfinished claims (<see cref="ReleaseAsync"/>) so that another host takes them at once.
/// </summary>
public sealed class PipelineClaims
{
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinimumLease = TimeSpan.FromSeconds(30);

    /// <summary>The tables whose claims carry the claiming host (claimed_by).</summary>
    private static readonly string[] Tables = ["transactions", "provider_outbox", "sms_messages"];

    public PipelineClaims(IConfiguration configuration)
    {
        Lease = configuration.GetValue("Pipeline:ClaimLease", DefaultLease);
        if (Lease < MinimumLease)
        {
            throw new InvalidOperationException($"Pipeline:ClaimLease must be at least {MinimumLease.TotalSeconds:0} s (longer than a batch of tokens can take), not {Lease}");
        }
    }

    /// <summary>This host process's id in claimed_by.</summary>
    public Guid Host { get; } = Guid.NewGuid();

    public TimeSpan Lease { get; }

    /// <summary>Makes this host's unfinished claims due again at once; returns how many rows it released.</summary>
    /// <remarks>Finished work keeps its claimed_by but has claimed_until cleared, so it is left alone.</remarks>
    public async Task<int> ReleaseAsync(MpmDb db, CancellationToken cancellationToken)
    {
        var released = 0;
        foreach (var table in Tables)
        {
            released += await db.ExecuteAsync($"UPDATE mpm.{table} SET claimed_until = NULL, claimed_by = NULL WHERE claimed_by = @host AND claimed_until IS NOT NULL",
                cancellationToken, new DataParameter("host", Host));
        }

        return released;
    }
}
