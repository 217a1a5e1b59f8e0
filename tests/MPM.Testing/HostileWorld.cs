using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.DependencyInjection;
using MPM.Data;
using MPM.Web.Features.Customers;
using MPM.Web.Features.Targets;

namespace MPM.Testing;

/// <summary>
/// An operator whose every name is markup or a spreadsheet formula: a customer named <c>&lt;script&gt;alert(1)&lt;/script&gt;</c>
/// with a confirmed payment, the cluster, mini-grid and village it lives in, its tariff and customer group, a ticket
/// with a comment, a maintenance job for a contractor, an SMS and an SMS template, a target and an audit entry. Every script in it calls alert, and
/// every tag carries an event handler, so a page that lets one through is caught by a dialog, an element with an on*
/// attribute or an img with src=x. Each text is unique, so a test finds where it shows.
/// </summary>
public sealed class HostileWorld
{
    public const string CustomerName = "<script>alert(1)</script>";
    public const string CustomerSurname = "\"><img src=x onerror=alert(2)>";
    public const string Street = "<img src=x onerror=alert(3)> Street";
    public const string ClusterName = "<script>alert(4)</script>Kagera";
    public const string MiniGridName = "\"><img src=x onerror=alert(5)>Bukoba";
    public const string VillageName = "<svg onload=alert(6)>Kashai";
    public const string ConnectionTypeName = "<b onmouseover=alert(7)>Household</b>";
    public const string TariffName = "<img src=x onerror=alert(8)>Tariff";
    public const string ManufacturerName = "<script>alert(9)</script>Hexing";
    public const string CategoryName = "<i onclick=alert(10)>Repair</i>";
    public const string TicketTitle = "<script>alert(11)</script>No power";
    public const string TicketDescription = "<img src=x onerror=alert(12)>The meter is dark";
    public const string CommentText = "\"><script>alert(13)</script>On my way";
    public const string ContractorName = "<img src=x onerror=alert(14)>Fundi";
    public const string TicketUserName = "<script>alert(15)</script>Amina";
    public const string SmsBody = "<script>alert(16)</script>Your token is 1234";
    public const string AssetTypeName = "<img src=x onerror=alert(17)>Fridge";
    public const string ConnectionGroupName = "<svg onload=alert(18)>Group";
    public const string MeterTypeName = "<script>alert(19)</script>Single phase";
    public const string TemplateBody = "<b onmouseover=alert(20)>Paid</b> {amount} {currency}, token {token}";

    /// <summary>Names a spreadsheet would take for formulas (with the two letters a customer's name needs).</summary>
    public static readonly string[] FormulaNames = ["=HYPERLINK(\"http://evil.example\",\"Pay\")", "+SUM(1,2)", "-SUM(2,3)", "@SUM(A1)"];

    public const string Serial = "HW-0001";

    public long Cluster { get; private set; }

    public long MiniGrid { get; private set; }

    public long Village { get; private set; }

    public long ConnectionType { get; private set; }

    public long ConnectionGroup { get; private set; }

    public long Tariff { get; private set; }

    public long Manufacturer { get; private set; }

    public long AssetType { get; private set; }

    public long MeterType { get; private set; }

    public long Customer { get; private set; }

    public long Meter { get; private set; }

    public long Transaction { get; private set; }

    public long Ticket { get; private set; }

    public long Maintenance { get; private set; }

    public long Contractor { get; private set; }

    public long Sms { get; private set; }

    /// <summary>Seeds the world; the payment was received and confirmed at <paramref name="paidAt"/>.</summary>
    public static async Task<HostileWorld> SeedAsync(IServiceProvider services, DateTimeOffset paidAt)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MpmDb>();
        var world = new HostileWorld();
        var now = paidAt;
        world.Cluster = await db.InsertWithInt64IdentityAsync(new ClusterRecord { Name = ClusterName, ManagerName = CustomerName, Latitude = -1.3m, Longitude = 31.6m, CreatedAt = now });
        world.MiniGrid = await db.InsertWithInt64IdentityAsync(new MiniGridRecord { ClusterId = world.Cluster, Name = MiniGridName, Latitude = -1.33m, Longitude = 31.81m, CreatedAt = now });
        world.Village = await db.InsertWithInt64IdentityAsync(new VillageRecord { MiniGridId = world.MiniGrid, Name = VillageName, Latitude = -1.30m, Longitude = 31.80m, CreatedAt = now });
        world.ConnectionType = await db.InsertWithInt64IdentityAsync(new ConnectionTypeRecord { Name = ConnectionTypeName });
        world.ConnectionGroup = await db.InsertWithInt64IdentityAsync(new ConnectionGroupRecord { Name = ConnectionGroupName });
        world.Tariff = await db.InsertWithInt64IdentityAsync(new TariffRecord { Name = TariffName, PricePerKWh = 500m, CreatedAt = now });
        world.Manufacturer = await db.InsertWithInt64IdentityAsync(new ManufacturerRecord { Name = ManufacturerName, TokenGenerator = "sts", CreatedAt = now });
        world.AssetType = await db.InsertWithInt64IdentityAsync(new AssetTypeRecord { Name = AssetTypeName, Price = 100_000m });
        world.MeterType = await db.InsertWithInt64IdentityAsync(new MeterTypeRecord { Name = MeterTypeName, Phase = 1, MaxCurrent = 10 });

        var registered = await scope.ServiceProvider.GetRequiredService<Registration>().RegisterAsync(new RegistrationRequest(
            new CustomerInput(CustomerName, CustomerSurname, "+255712000001", null, null),
            new AddressInput(world.Village, Street, null, null),
            new MeterInput(Serial, world.Manufacturer, world.Tariff, world.ConnectionType, world.ConnectionGroup, world.MeterType)));
        if (!registered.Succeeded)
        {
            throw new InvalidOperationException("hostile registration refused: " + string.Join("; ", registered.Errors.Select(e => $"{e.Key}: {e.Value}")));
        }

        world.Customer = registered.CustomerId!.Value;
        world.Meter = registered.MeterId!.Value;
        world.Transaction = await db.InsertWithInt64IdentityAsync(new TransactionRecord
        {
            Provider = "cash", ProviderReference = "HW-1", MeterId = world.Meter, MeterSerial = Serial, CustomerId = world.Customer, VillageId = world.Village,
            MiniGridId = world.MiniGrid, ClusterId = world.Cluster, ConnectionTypeId = world.ConnectionType, Amount = 1000m, Currency = "TZS", RawData = "{}",
            Status = TransactionStatus.Confirmed, EnergyKWh = 2.0m, NextAttemptAt = paidAt, ReceivedAt = paidAt, CompletedAt = paidAt,
        });
        await db.InsertAsync(new AllocationRecord { TransactionId = world.Transaction, Type = "energy", Amount = 1000m, Description = "2.0 kWh", CreatedAt = paidAt });

        var category = await db.InsertWithInt64IdentityAsync(new TicketCategoryRecord { Name = CategoryName, Colour = "#1f77b4", OutSourced = true, CreatedAt = now });
        var assignee = await db.InsertWithInt64IdentityAsync(new TicketUserRecord { Name = TicketUserName, Tag = "@amina_k", CreatedAt = now });
        world.Contractor = await db.InsertWithInt64IdentityAsync(new ContractorRecord { Name = ContractorName, Phone = "+255712000002", CreatedAt = now });
        world.Ticket = await db.InsertWithInt64IdentityAsync(new TicketRecord
        {
            Title = TicketTitle, Description = TicketDescription, CategoryId = category, CustomerId = world.Customer, MiniGridId = world.MiniGrid, AssigneeId = assignee,
            Status = "open", CreatedBy = "admin@example.com", CreatedAt = now,
        });
        await db.InsertAsync(new TicketCommentRecord { TicketId = world.Ticket, Author = TicketUserName, Text = CommentText, Source = "web", CreatedAt = now });
        await db.InsertAsync(new TicketHistoryRecord { TicketId = world.Ticket, At = now, Actor = TicketUserName, Action = "assigned", Details = ContractorName });
        world.Maintenance = await db.InsertWithInt64IdentityAsync(new TicketRecord
        {
            Title = TicketTitle + " (maintenance)", Description = TicketDescription, CategoryId = category, MiniGridId = world.MiniGrid, ContractorId = world.Contractor,
            Price = 25_000m, DueDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(7), Status = "open", CreatedBy = "admin@example.com", CreatedAt = now,
        });

        world.Sms = await db.InsertWithInt64IdentityAsync(new SmsMessageRecord
        {
            Direction = "out", Phone = "+255712000001", CustomerId = world.Customer, TransactionId = world.Transaction, Body = SmsBody, Status = SmsStatus.Queued,
            NextAttemptAt = now.AddYears(10), CreatedAt = now, UpdatedAt = now,
        });
        await db.InsertOrReplaceAsync(new SmsTemplateRecord { Key = "payment.confirmed", Body = TemplateBody, UpdatedAt = now });
        await db.InsertAsync(new TargetRecord { OwnerType = TargetCatalog.MiniGrid, MiniGridId = world.MiniGrid, ValidUntil = DateOnly.FromDateTime(now.UtcDateTime).AddYears(1), CreatedAt = now });
        await db.InsertAsync(new AuditRecord { At = now, Actor = CustomerName, Action = "customer.update", Details = $"customer {world.Customer}: {CustomerSurname} {Street}" });
        return world;
    }
}
