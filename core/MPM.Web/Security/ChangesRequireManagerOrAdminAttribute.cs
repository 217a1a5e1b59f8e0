using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using MPM.Core;

namespace MPM.Web.Security;

/// <summary>
/// On a page every operator may read: its changes (any request but GET and HEAD) need a manager or an admin, others get
/// 403. Razor Pages ignore [Authorize] on handler methods, and [Authorize] on the class would keep viewers from reading.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ChangesRequireManagerOrAdminAttribute : Attribute, IAuthorizationFilter
{
    public static bool MayChange(ClaimsPrincipal user) => user.IsInRole(Roles.Manager) || user.IsInRole(Roles.Admin);

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var method = context.HttpContext.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && !MayChange(context.HttpContext.User))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
        }
    }
}
