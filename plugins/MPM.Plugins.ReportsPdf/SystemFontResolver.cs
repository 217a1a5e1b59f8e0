using PdfSharp.Fonts;

namespace MPM.Plugins.ReportsPdf;

/// <summary>
/// PDFsharp on Linux has no fonts of its own: every family resolves to DejaVu Sans (or Liberation Sans), regular or
/// bold, from the system's font folders (Debian fonts-dejavu-core / fonts-liberation).
/// </summary>
internal sealed class SystemFontResolver : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly string[] Folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation", "/usr/local/share/fonts", "/Library/Fonts", @"C:\Windows\Fonts"];

    private static readonly (string Face, string[] Files)[] Faces =
    [
        ("regular", ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "arial.ttf"]),
        ("bold", ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "arialbd.ttf"]),
    ];

    private static readonly object Gate = new();

    /// <summary>Installs the resolver once per process (PDFsharp's font settings are global).</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not SystemFontResolver)
            {
                GlobalFontSettings.FontResolver = new SystemFontResolver();
            }
        }
    }

    public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) => new(isBold ? "bold" : "regular");

    public byte[] GetFont(string faceName)
    {
        var files = Faces.First(f => f.Face == faceName).Files;
        foreach (var file in files)
        {
            foreach (var folder in Folders)
            {
                var path = Path.Combine(folder, file);
                if (File.Exists(path))
                {
                    return File.ReadAllBytes(path);
                }
            }
        }

        throw new FileNotFoundException($"No font for PDF reports: install fonts-dejavu-core or fonts-liberation (looked for {string.Join(", ", files)}).");
    }
}
