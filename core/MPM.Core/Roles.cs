namespace MPM.Core;

/// <summary>Operator roles. Admins manage users and plugins; managers change data; viewers read.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Manager, Viewer];

    /// <summary>Role lists for authorization attributes.</summary>
    public const string ManagerOrAdmin = Manager + "," + Admin;

    public static bool IsValid(string role) => All.Contains(role);
}
