using System.Net;
using System.Text.RegularExpressions;

namespace MPM.Integration.Tests.Support;

public static class Html
{
    /// <summary>The page's text with HTML entities decoded (Razor encodes quotes and the like).</summary>
    public static string Decode(string html) => WebUtility.HtmlDecode(html);

    /// <summary>The decoded inner text of the first element with this id, or null.</summary>
    public static string? ElementText(string html, string id)
    {
        var match = Regex.Match(html, $"<(\\w+)[^>]*\\bid=\"{Regex.Escape(id)}\"[^>]*>(.*?)</\\1>", RegexOptions.Singleline);
        return match.Success ? Decode(Regex.Replace(match.Groups[2].Value, "<[^>]+>", "")).Trim() : null;
    }

    /// <summary>The table row of the Plugins page for one entry of plugins.json (the n-th one with that id).</summary>
    public static string PluginRow(string html, string id, int occurrence = 0)
    {
        var rows = Regex.Matches(html, $"<tr data-plugin-id=\"{Regex.Escape(id)}\">(.*?)</tr>", RegexOptions.Singleline);
        return rows.Count > occurrence ? Decode(rows[occurrence].Groups[1].Value) : throw new InvalidOperationException($"no row {occurrence} for {id} on the page");
    }
}
