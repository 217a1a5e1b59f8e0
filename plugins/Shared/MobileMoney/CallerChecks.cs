using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MPM.Plugins.Shared.MobileMoney;

/// <summary>How a mobile-money provider's caller is recognised: its source address and a shared credential.</summary>
internal static class CallerChecks
{
    /// <summary>
    /// True when <paramref name="remote"/> is in <paramref name="allowList"/>: addresses or CIDR networks separated by
    /// commas, semicolons or white space. An empty list allows no one. IPv4 addresses mapped into IPv6 count as IPv4.
    /// </summary>
    public static bool IsAllowed(IPAddress? remote, string? allowList)
    {
        if (remote is null || string.IsNullOrWhiteSpace(allowList))
        {
            return false;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        foreach (var entry in allowList.Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.Contains('/', StringComparison.Ordinal))
            {
                if (IPNetwork.TryParse(entry, out var network) && network.Contains(address))
                {
                    return true;
                }
            }
            else if (IPAddress.TryParse(entry, out var allowed) && (allowed.IsIPv4MappedToIPv6 ? allowed.MapToIPv4() : allowed).Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compares a presented credential with the expected one in constant time (lengths are hidden too: both are hashed first).</summary>
    public static bool SecretEquals(string? presented, string? expected)
    {
        if (presented is null || expected is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
