using System.IO.Compression;
using System.Xml.Linq;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Core.Domain;
using MPM.Data;
using MPM.Testing;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Reports;
using UglyToad.PdfPig;
using Xunit;

namespace MPM.Integration.Tests.Reports;

/// <summary>The <see cref="HostileWorld"/> paid on 10 March 2026, plus customers, mini-grids and contractors named like spreadsheet formulas.</summary>
public sealed class HostileReportHost : IAsyncLifetime
{
    public const string Email = "manager@example.com";
    public const string Password = "correct-horse-battery";
    public static readonly DateTimeOffset PaidAt = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;

    public MpmWebFactory Factory { get; private set; } = null!;

    public HostileWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        Factory = new MpmWebFactory(_database);
        await Factory.AddUserAsync(Email, Password, "manager");
        World = await HostileWorld.SeedAsync(Factory.Services, PaidAt);

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var category = await db.TicketCategories.Select(c => c.Id).FirstAsync();
        for (var i = 0; i < HostileWorld.FormulaNames.Length; i++)
        {
            var name = HostileWorld.FormulaNames[i];
            var miniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = World.Cluster, Name = name, Latitude = -1.3m, Longitude = 31.8m, CreatedAt = PaidAt });
            var village = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = miniGrid, Name = name, Latitude = -1.3m, Longitude = 31.8m, CreatedAt = PaidAt });
            var serial = $"HW-F{i}";
            var registered = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
                new CustomerInput(name, name, $"+25571200010{i}", null, null), new AddressInput(village, null, null, null),
                new MeterInput(serial, World.Manufacturer, World.Tariff, World.ConnectionType, null)));
            Assert.True(registered.Succeeded, string.Join("; ", registered.Errors.Values));
            await db.InsertAsync(new TransactionRecord
            {
                Provider = "cash", ProviderReference = $"HW-F{i}", MeterId = registered.MeterId!.Value, MeterSerial = serial, CustomerId = registered.CustomerId!.Value,
                VillageId = village, MiniGridId = miniGrid, ClusterId = World.Cluster, ConnectionTypeId = World.ConnectionType, Amount = 100m + i, Currency = "TZS",
                RawData = "{}", Status = TransactionStatus.Confirmed, EnergyKWh = 0.2m, NextAttemptAt = PaidAt, ReceivedAt = PaidAt, CompletedAt = PaidAt,
            });
            var contractor = await db.InsertWithInt64IdentityAsync(new ContractorRecord { Name = name, Phone = $"+25571200020{i}", CreatedAt = PaidAt });
            await db.InsertAsync(new TicketRecord
            {
                Title = name, Description = "", CategoryId = category, MiniGridId = miniGrid, ContractorId = contractor, Price = 1000m + i, Status = "open",
                CreatedBy = Email, CreatedAt = PaidAt,
            });
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>
/// The PDF and spreadsheet reports and the CSV export of an operator whose names are markup or formulas: the PDF holds
/// the names as their literal text, every spreadsheet cell with a name is a plain (inline) string and no cell is a
/// formula, and the CSV neutralises the formula names.
/// </summary>
public sealed class HostileReportTests(HostileReportHost host) : IClassFixture<HostileReportHost>
{
    private static readonly ReportPeriod March = ReportPeriod.Of(ReportKinds.Monthly, new DateOnly(2026, 3, 1));

    private static readonly XNamespace Sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>The markup names each report shows (the monthly report: places, groups and the ledger; payment requests: contractors and categories).</summary>
    public static TheoryData<string> Kinds() => [ReportKinds.Monthly, ReportKinds.PaymentRequests];

    private static string[] NamesIn(string kind) => kind == ReportKinds.Monthly
        ? [HostileWorld.ClusterName, HostileWorld.MiniGridName, HostileWorld.VillageName, HostileWorld.ConnectionTypeName, $"{HostileWorld.CustomerName} {HostileWorld.CustomerSurname}", .. HostileWorld.FormulaNames]
        : [HostileWorld.ContractorName, HostileWorld.CategoryName, .. HostileWorld.FormulaNames];

    private async Task<byte[]> RenderAsync(string kind, string format)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var rendered = await scope.ServiceProvider.GetRequiredService<ReportArchive>().RenderAsync(kind, March, format);
        return Assert.IsType<RenderedReport>(rendered).Content;
    }

    private static string WithoutSpaces(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_pdf_holds_markup_and_formula_names_as_their_literal_text(string kind)
    {
        using var pdf = PdfDocument.Open(await RenderAsync(kind, "pdf"));
        // The letters as drawn: a cell too long for its column wraps, so spaces and line breaks are left out of both sides.
        var text = WithoutSpaces(string.Concat(pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.Value)));

        foreach (var name in NamesIn(kind))
        {
            Assert.True(text.Contains(WithoutSpaces(name), StringComparison.Ordinal), $"the {kind} PDF does not show {name}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_spreadsheet_cell_with_a_name_is_a_plain_string_and_none_is_a_formula(string kind)
    {
        using var zip = new ZipArchive(new MemoryStream(await RenderAsync(kind, "xlsx")));
        var cells = new List<XElement>();
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            using var stream = entry.Open();
            cells.AddRange(XDocument.Load(stream).Descendants(Sheet + "c"));
        }

        Assert.NotEmpty(cells);
        Assert.Empty(cells.Where(c => c.Element(Sheet + "f") is not null).Select(c => c.ToString()));
        foreach (var name in NamesIn(kind))
        {
            var holding = cells.Where(c => c.Value == name).ToList();
            Assert.True(holding.Count > 0, $"no cell of the {kind} workbook holds {name}");
            Assert.All(holding, c => Assert.Equal("inlineStr", (string?)c.Attribute("t")));
        }
    }

    [Fact]
    public async Task The_csv_export_neutralises_formula_names_and_keeps_markup_as_text()
    {
        var manager = await host.Factory.LoginAsync(HostileReportHost.Email, HostileReportHost.Password);
        var csv = await manager.GetStringAsync("/Transactions?handler=Csv&from=2026-03-01&to=2026-03-31");
        var lines = csv.TrimStart('\uFEFF').Split("\r\n");

        Assert.Contains(lines, l => l.Contains($"{HostileWorld.CustomerName} \"\"><img src=x onerror=alert(2)>", StringComparison.Ordinal));
        // Each formula customer's name (first in its cell, so it would run) starts with a quote; the cell is quoted when it must be.
        Assert.Contains(lines, l => l.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Pay\"\")", StringComparison.Ordinal));
        foreach (var name in HostileWorld.FormulaNames.Skip(1))
        {
            Assert.Contains(lines, l => l.Contains($",'{name} {name},", StringComparison.Ordinal) || l.Contains($",\"'{name} {name}\",", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains($",{name}", StringComparison.Ordinal));
        }
    }
}
