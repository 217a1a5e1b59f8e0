using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MPM.Web.Shell;

/// <summary>
/// Services report field errors by JSON path ("accessRate.periodDays", "components[1].name"), the names the REST API
/// uses; a form binds the same record under a prefix ("Input.AccessRate.PeriodDays"). This maps one onto the other.
/// </summary>
public static class FormErrors
{
    public static void AddTo(ModelStateDictionary modelState, string prefix, IReadOnlyDictionary<string, string> errors)
    {
        foreach (var (path, message) in errors)
        {
            var key = string.Join('.', path.Split('.').Select(segment => char.ToUpperInvariant(segment[0]) + segment[1..]));
            modelState.AddModelError($"{prefix}.{key}", message);
        }
    }
}
