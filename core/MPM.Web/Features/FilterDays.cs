using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MPM.Web.Features;

/// <summary>
/// The calendar days a date filter accepts. Beyond them the day after (a "to" day is included) or the day's start in
/// the operator's time zone is not a representable instant, so 0001-01-01 or 9999-12-31 would be an error 500.
/// </summary>
public static class FilterDays
{
    public static readonly DateOnly First = new(1900, 1, 1);

    public static readonly DateOnly Last = new(9998, 12, 31);

    /// <summary>Why the filter <paramref name="name"/> cannot use <paramref name="day"/>; null when it can.</summary>
    public static string? Problem(string name, DateOnly day) =>
        day < First || day > Last ? $"{name} must be a day from {First:yyyy-MM-dd} to {Last:yyyy-MM-dd}" : null;

    /// <summary>The day when a filter can use it; otherwise null, with the reason in the page's model state (shown as a filter problem).</summary>
    public static DateOnly? Usable(ModelStateDictionary modelState, string name, DateOnly? day)
    {
        if (day is { } value && Problem(name, value) is { } problem)
        {
            modelState.AddModelError(name, problem + ".");
            return null;
        }

        return day;
    }
}
