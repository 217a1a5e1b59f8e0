using System.Security.Claims;
using MPM.Core;

namespace MPM.Web.Security;

public static class UserRoles
{
    /// <summary>Managers and admins change data; viewers only read.</summary>
    public static bool CanChangeData(this ClaimsPrincipal user) => user.IsInRole(Roles.Manager) || user.IsInRole(Roles.Admin);
}
