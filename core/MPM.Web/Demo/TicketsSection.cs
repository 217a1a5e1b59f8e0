using LinqToDB;
using MPM.Data;

namespace MPM.Web.Demo;

/// <summary>
/// Ticket categories (one out-sourced), ticketing users, contractors, customer tickets with comments, and maintenance
/// jobs with prices spread over the demo months, so that the ticket list, the maintenance list, the mini-grid
/// dashboards' ticket card and the payment-requests report have content. Built-in store only: no provider is set.
/// </summary>
public sealed class TicketsSection(MpmDb db) : IDemoSection
{
    public const string Actor = "demo";
    public const string MaintenanceCategory = "Maintenance";

    private static readonly (string Name, string Colour, bool OutSourced)[] Categories =
    [
        ("Meter fault", "#dc3545", false),
        ("Billing question", "#0d6efd", false),
        ("New connection", "#198754", false),
        (MaintenanceCategory, "#fd7e14", true),
    ];

    private static readonly (string Name, string Tag)[] Users = [("Amina Kombo", "@amina_kombo"), ("Juma Mrisho", "@juma_m"), ("Rehema Said", "@rehema.said")];

    private static readonly (string Name, string Phone)[] ContractorList =
    [
        ("Hamisi Electrical Works", "+255754100201"), ("Mwanza Pole Services", "+255754100202"), ("Baraka Solar Technicians", "+255754100203"),
    ];

    private static readonly string[][] CustomerIssues =
    [
        ["Meter shows no credit after payment", "Keypad does not accept token", "Meter display is blank"],
        ["Asks why the access rate was deducted", "Wants a statement of last month's payments", "Paid twice by mistake"],
        ["Neighbour wants to be connected", "Asks to move the meter to the shop", "Second meter for the workshop"],
    ];

    private static readonly string[] Jobs =
    [
        "Replace broken pole near the school", "Tighten loose service cable", "Replace faulty meter", "Trim trees along the distribution line",
        "Clean the solar panels", "Check the inverter alarm", "Repair street-light circuit", "Replace blown fuse at the junction box",
    ];

    private static readonly string[] Comments =
    [
        "Called the customer, visiting tomorrow.", "Spare part ordered.", "Done, customer confirmed it works.", "Waiting for the customer to be at home.",
    ];

    public async Task SeedAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var categories = new List<TicketCategoryRecord>();
        foreach (var (name, colour, outSourced) in Categories)
        {
            var category = new TicketCategoryRecord { Name = name, Colour = colour, OutSourced = outSourced, CreatedAt = context.Start };
            category.Id = await db.InsertWithInt64IdentityAsync(category, token: cancellationToken);
            categories.Add(category);
        }

        var users = new List<TicketUserRecord>();
        foreach (var (name, tag) in Users)
        {
            var user = new TicketUserRecord { Name = name, Tag = tag, CreatedAt = context.Start };
            user.Id = await db.InsertWithInt64IdentityAsync(user, token: cancellationToken);
            users.Add(user);
        }

        var contractors = new List<ContractorRecord>();
        foreach (var (name, phone) in ContractorList)
        {
            var contractor = new ContractorRecord { Name = name, Phone = phone, CreatedAt = context.Start };
            contractor.Id = await db.InsertWithInt64IdentityAsync(contractor, token: cancellationToken);
            contractors.Add(contractor);
        }

        var comments = new List<TicketCommentRecord>();
        var history = new List<TicketHistoryRecord>();
        var miniGrids = context.Villages.ToDictionary(v => v.Record.Id, v => v.Record.MiniGridId);

        // Customer tickets: about five a month.
        for (var i = 0; i < context.Options.Months * 5 && context.Customers.Count > 0; i++)
        {
            var kind = context.Random.Next(3);
            var customer = context.Pick(context.Customers);
            var created = context.Between(customer.Meter.RegisteredAt > context.Start ? customer.Meter.RegisteredAt : context.Start, context.Now);
            var ticket = new TicketRecord
            {
                Title = context.Pick(CustomerIssues[kind]),
                Description = $"Reported by {customer.Customer.Name} {customer.Customer.Surname} ({customer.Customer.Phone}).",
                CategoryId = categories[kind].Id,
                CustomerId = customer.Customer.Id,
                MiniGridId = miniGrids.GetValueOrDefault(customer.Meter.VillageId),
                AssigneeId = context.Pick(users).Id,
                DueDate = DateOnly.FromDateTime(created.UtcDateTime).AddDays(7),
                CreatedBy = Actor,
                CreatedAt = created,
            };
            await InsertAsync(context, ticket, history, comments, context.Pick(users).Name, cancellationToken);
        }

        // Maintenance jobs: about four a month, with prices; a few recent ones are still open past their deadline.
        var maintenance = categories.Single(c => c.OutSourced);
        for (var i = 0; i < context.Options.Months * 4; i++)
        {
            var contractor = context.Pick(contractors);
            var created = context.Between(context.Start, context.Now);
            var village = context.Villages.Count > 0 ? context.Pick(context.Villages).Record : null;
            var ticket = new TicketRecord
            {
                Title = context.Pick(Jobs),
                Description = village is null ? "" : $"In {village.Name}.",
                CategoryId = maintenance.Id,
                MiniGridId = village?.MiniGridId,
                ContractorId = contractor.Id,
                DueDate = DateOnly.FromDateTime(created.UtcDateTime).AddDays(context.Random.Next(3, 15)),
                Price = context.Random.Next(15, 151) * 1000m,
                CreatedBy = Actor,
                CreatedAt = created,
            };
            await InsertAsync(context, ticket, history, comments, contractor.Name, cancellationToken);
        }

        await db.InsertRowsAsync(comments, cancellationToken);
        await db.InsertRowsAsync(history, cancellationToken);
    }

    /// <summary>Inserts the ticket; older ones are mostly closed a few days later, with a comment or two.</summary>
    private async Task InsertAsync(DemoContext context, TicketRecord ticket, List<TicketHistoryRecord> history, List<TicketCommentRecord> comments, string commenter, CancellationToken cancellationToken)
    {
        var closedAt = ticket.CreatedAt.AddDays(1 + context.Random.NextDouble() * 9);
        var closed = closedAt < context.Now && context.Random.NextDouble() < 0.75;
        ticket.Status = closed ? TicketStates.Closed : TicketStates.Open;
        ticket.ClosedAt = closed ? closedAt : null;
        ticket.Id = await db.InsertWithInt64IdentityAsync(ticket, token: cancellationToken);
        history.Add(new TicketHistoryRecord { TicketId = ticket.Id, At = ticket.CreatedAt, Actor = Actor, Action = "created" });
        var commentAt = ticket.CreatedAt.AddHours(2 + context.Random.Next(20));
        if (commentAt < context.Now)
        {
            var source = ticket.ContractorId is null ? CommentSource.Web : CommentSource.Sms;
            comments.Add(new TicketCommentRecord { TicketId = ticket.Id, Author = commenter, Text = context.Pick(Comments), Source = source, CreatedAt = commentAt });
            history.Add(new TicketHistoryRecord { TicketId = ticket.Id, At = commentAt, Actor = commenter, Action = "commented", Details = source == CommentSource.Web ? null : $"by {source}" });
        }

        if (closed)
        {
            history.Add(new TicketHistoryRecord { TicketId = ticket.Id, At = closedAt, Actor = Actor, Action = "closed" });
        }
    }
}
