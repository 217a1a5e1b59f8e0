using System.Security.Cryptography;
using System.Text;

namespace MPM.Web.Security;

/// <summary>Secrets handed out once (API keys, bearer tokens): random, URL-safe, and stored only as their SHA-256.</summary>
public static class SecretTokens
{
    /// <summary><paramref name="bytes"/> random bytes in URL-safe Base64, without padding.</summary>
    public static string Random(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
