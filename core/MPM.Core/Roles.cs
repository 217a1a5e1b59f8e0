using MPM.Sdk;

namespace MPM.Core;

/// <summary>Operator roles (the names are the SDK's, so plugin pages authorize the same way).</summary>
public static class Roles
{
    public const string Admin = OperatorRoles.Admin;
    public const string Manager = OperatorRoles.Manager;
    public const string Viewer = OperatorRoles.Viewer;
    public const string FieldAgent = OperatorRoles.FieldAgent;
    public const string ManagerOrAdmin = OperatorRoles.ManagerOrAdmin;

    public static IReadOnlyList<string> All { get; } = [Admin, Manager, Viewer, FieldAgent];

    /// <summary>The roles that use the web pages; field agents only use a field app.</summary>
    public static IReadOnlyList<string> Web { get; } = [Admin, Manager, Viewer];

    public static bool IsValid(string role) => All.Contains(role);
}
