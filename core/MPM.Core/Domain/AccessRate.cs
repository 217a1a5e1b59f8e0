namespace MPM.Core.Domain;

public sealed record AccessRateState(DateOnly NextDue, decimal Debt);

/// <summary>The fixed fee per period of a tariff's access rate.</summary>
public static class AccessRate
{
    /// <summary>A new meter's account: first due one period after registration, nothing owed.</summary>
    public static AccessRateState Open(DateOnly registeredOn, int periodDays) => new(registeredOn.AddDays(periodDays), 0m);

    /// <summary>
    /// Every period whose due date has passed by <paramref name="today"/> adds the amount once and moves the due date on
    /// by one period, so a job that missed days catches up without charging a period twice.
    /// </summary>
    public static (AccessRateState State, int Periods) Accrue(AccessRateState state, decimal amount, int periodDays, DateOnly today)
    {
        if (periodDays < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(periodDays), "the period must be at least one day");
        }

        var periods = 0;
        var due = state.NextDue;
        while (due <= today)
        {
            due = due.AddDays(periodDays);
            periods++;
        }

        return (new AccessRateState(due, state.Debt + amount * periods), periods);
    }
}
