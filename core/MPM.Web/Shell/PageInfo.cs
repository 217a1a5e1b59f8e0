namespace MPM.Web.Shell;

/// <summary>
/// Paging state for a server-side paged table, rendered by <c>Pages/Shared/_Pager.cshtml</c>:
/// <c>&lt;partial name="_Pager" model="new PageInfo(Model.PageNo, 25, Model.Total, p =&gt; Url.Page("./Index", new { p }))" /&gt;</c>.
/// </summary>
/// <param name="Page">Current page, 1-based.</param>
/// <param name="PageSize">Rows per page (&gt; 0).</param>
/// <param name="Total">Total number of rows across all pages.</param>
/// <param name="PageUrl">Builds the URL of a given 1-based page (keep the current filters in it).</param>
public sealed record PageInfo(int Page, int PageSize, int Total, Func<int, string?> PageUrl)
{
    /// <summary>Number of pages, at least 1.</summary>
    public int TotalPages => PageSize <= 0 || Total <= 0 ? 1 : (int)((Total + (long)PageSize - 1) / PageSize);

    /// <summary><see cref="Page"/> clamped to 1..<see cref="TotalPages"/>.</summary>
    public int Current => Math.Clamp(Page, 1, TotalPages);

    public bool HasPrevious => Current > 1;

    public bool HasNext => Current < TotalPages;

    /// <summary>1-based index of the first row on this page (0 when there are no rows).</summary>
    public int FirstItem => Total <= 0 ? 0 : (int)Math.Min(Total, ((long)Current - 1) * Math.Max(PageSize, 1) + 1);

    /// <summary>1-based index of the last row on this page (0 when there are no rows).</summary>
    public int LastItem => Total <= 0 ? 0 : (int)Math.Min(Total, (long)Current * Math.Max(PageSize, 1));

    /// <summary>
    /// The page numbers to show as links: the first, the last and <paramref name="radius"/> pages
    /// either side of the current one; <c>null</c> marks a gap (rendered as an ellipsis).
    /// </summary>
    public IReadOnlyList<int?> Window(int radius = 2)
    {
        var total = TotalPages;
        var from = Math.Max(1, Current - Math.Max(radius, 0));
        var to = Math.Min(total, Current + Math.Max(radius, 0));
        var pages = new List<int?>();
        if (from > 1)
        {
            pages.Add(1);
            if (from > 2)
            {
                pages.Add(null);
            }
        }
        for (var p = from; p <= to; p++)
        {
            pages.Add(p);
        }
        if (to < total)
        {
            if (to < total - 1)
            {
                pages.Add(null);
            }
            pages.Add(total);
        }
        return pages;
    }
}
