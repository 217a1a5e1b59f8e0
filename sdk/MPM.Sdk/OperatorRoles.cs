namespace MPM.Sdk;

/// <summary>The operator roles, for plugin pages' [Authorize(Roles = ...)]. Admins manage users and plugins; managers change data; viewers read.</summary>
public static class OperatorRoles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Viewer = "viewer";

    /// <summary>For changes: "manager,admin".</summary>
    public const string ManagerOrAdmin = Manager + "," + Admin;
}
