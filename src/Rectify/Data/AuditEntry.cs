namespace Rectify.Data;

/// <summary>
/// One record of the audit trail: who did what to which object, when, from where, with what result. Records
/// are only ever appended; each carries a MAC over its fields and the previous record's MAC, so an edit, an
/// insertion or a deletion anywhere breaks the chain from that record on.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>1, 2, 3… with no gaps: a missing number is a deleted record.</summary>
    public long Sequence { get; set; }

    /// <summary>UTC, to the microsecond (what both databases keep exactly).</summary>
    public DateTime AtUtc { get; set; }

    /// <summary>The event type, e.g. signin.failure, user.create, notice.import (see Audit.AuditActions).</summary>
    public string Action { get; set; } = string.Empty;

    public bool Succeeded { get; set; }

    public string? ActorUserId { get; set; }

    public string? ActorName { get; set; }

    public string? ActorRoles { get; set; }

    public int? ActorOrganizationId { get; set; }

    public string? SourceAddress { get; set; }

    public string? ObjectType { get; set; }

    public string? ObjectId { get; set; }

    /// <summary>The object before the change (JSON), where there was one.</summary>
    public string? Before { get; set; }

    /// <summary>The object after the change (JSON), or what the event carries.</summary>
    public string? After { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>HMAC-SHA256 or HMAC-SM3: how <see cref="Mac"/> was made.</summary>
    public string Algorithm { get; set; } = string.Empty;

    /// <summary>Hex MAC over the previous record's MAC and this record's canonical form.</summary>
    public string Mac { get; set; } = string.Empty;

    /// <summary>Which audit key made <see cref="Mac"/> (after a rotation); null for the unnamed first key.</summary>
    public string? KeyId { get; set; }
}

/// <summary>The tail of the chain, one row: updating it first serializes appenders on both databases.</summary>
public sealed class AuditHead
{
    public int Id { get; set; }

    public long Sequence { get; set; }

    public string Mac { get; set; } = string.Empty;

    /// <summary>When the head last moved (the newest record's time).</summary>
    public DateTime? AtUtc { get; set; }

    /// <summary>The key that made <see cref="HeadMac"/>; null for the unnamed first key.</summary>
    public string? KeyId { get; set; }

    /// <summary>
    /// MAC by the audit key over the sequence, the chain MAC and the time: whoever moves the head back (to hide a
    /// cut tail) without the key cannot make it agree. Null only on a log that no record has yet been written to by
    /// a version that seals the head.
    /// </summary>
    public string? HeadMac { get; set; }
}
