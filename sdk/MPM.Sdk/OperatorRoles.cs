namespace MPM.Sdk;

/// <summary>
/// The operator roles, for plugin pages' [Authorize(Roles = ...)]. Admins manage users and plugins; managers change
/// data; viewers read; field agents only register customers through a field app and read what that needs.
/// </summary>
public static class OperatorRoles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Viewer = "viewer";
    public const string FieldAgent = "field-agent";

    /// <summary>For changes: "manager,admin".</summary>
    public const string ManagerOrAdmin = Manager + "," + Admin;
}
