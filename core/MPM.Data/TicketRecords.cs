using LinqToDB;
using LinqToDB.Mapping;

namespace MPM.Data;

public static class TicketStates
{
    public const string Open = "open";
    public const string Closed = "closed";
}

public static class CommentSource
{
    public const string Web = "web";
    public const string Sms = "sms";
    public const string Provider = "provider";
}

public static class TicketAction
{
    public const string Create = "create";
    public const string Comment = "comment";
    public const string Assign = "assign";
    public const string Close = "close";
    public const string Reopen = "reopen";
}

public sealed partial class MpmDb
{
    public ITable<TicketCategoryRecord> TicketCategories => this.GetTable<TicketCategoryRecord>();

    public ITable<TicketUserRecord> TicketUsers => this.GetTable<TicketUserRecord>();

    public ITable<ContractorRecord> Contractors => this.GetTable<ContractorRecord>();

    public ITable<TicketRecord> Tickets => this.GetTable<TicketRecord>();

    public ITable<TicketCommentRecord> TicketComments => this.GetTable<TicketCommentRecord>();

    public ITable<TicketHistoryRecord> TicketHistory => this.GetTable<TicketHistoryRecord>();

    public ITable<TicketOutboxRecord> TicketOutbox => this.GetTable<TicketOutboxRecord>();
}

[Table("ticket_categories", Schema = "mpm")]
public sealed class TicketCategoryRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("colour"), NotNull] public string Colour { get; set; } = "";
    [Column("out_sourced")] public bool OutSourced { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("ticket_users", Schema = "mpm")]
public sealed class TicketUserRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("user_id")] public long? UserId { get; set; }
    [Column("tag"), NotNull] public string Tag { get; set; } = "";
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("contractors", Schema = "mpm")]
public sealed class ContractorRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("name"), NotNull] public string Name { get; set; } = "";
    [Column("phone"), NotNull] public string Phone { get; set; } = "";
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("tickets", Schema = "mpm")]
public sealed class TicketRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("title"), NotNull] public string Title { get; set; } = "";
    [Column("description"), NotNull] public string Description { get; set; } = "";
    [Column("category_id")] public long CategoryId { get; set; }
    [Column("customer_id")] public long? CustomerId { get; set; }
    [Column("mini_grid_id")] public long? MiniGridId { get; set; }
    [Column("assignee_id")] public long? AssigneeId { get; set; }
    [Column("contractor_id")] public long? ContractorId { get; set; }
    [Column("due_date")] public DateOnly? DueDate { get; set; }
    [Column("status"), NotNull] public string Status { get; set; } = TicketStates.Open;
    [Column("price")] public decimal? Price { get; set; }
    [Column("provider")] public string? Provider { get; set; }
    [Column("external_reference")] public string? ExternalReference { get; set; }
    [Column("created_by"), NotNull] public string CreatedBy { get; set; } = "";
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("closed_at")] public DateTimeOffset? ClosedAt { get; set; }
}

[Table("ticket_comments", Schema = "mpm")]
public sealed class TicketCommentRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("ticket_id")] public long TicketId { get; set; }
    [Column("author"), NotNull] public string Author { get; set; } = "";
    [Column("text"), NotNull] public string Text { get; set; } = "";
    [Column("source"), NotNull] public string Source { get; set; } = "";
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
}

[Table("ticket_history", Schema = "mpm")]
public sealed class TicketHistoryRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("ticket_id")] public long TicketId { get; set; }
    [Column("at")] public DateTimeOffset At { get; set; }
    [Column("actor"), NotNull] public string Actor { get; set; } = "";
    [Column("action"), NotNull] public string Action { get; set; } = "";
    [Column("details")] public string? Details { get; set; }
}

[Table("ticket_outbox", Schema = "mpm")]
public sealed class TicketOutboxRecord
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
    [Column("ticket_id")] public long TicketId { get; set; }
    [Column("provider"), NotNull] public string Provider { get; set; } = "";
    [Column("action"), NotNull] public string Action { get; set; } = "";
    [Column("payload")] public string? Payload { get; set; }
    [Column("status"), NotNull] public string Status { get; set; } = "pending";
    [Column("attempts")] public int Attempts { get; set; }
    [Column("next_attempt_at")] public DateTimeOffset NextAttemptAt { get; set; }
    [Column("claimed_until")] public DateTimeOffset? ClaimedUntil { get; set; }
    [Column("last_error")] public string? LastError { get; set; }
    [Column("created_at")] public DateTimeOffset CreatedAt { get; set; }
    [Column("completed_at")] public DateTimeOffset? CompletedAt { get; set; }
}
