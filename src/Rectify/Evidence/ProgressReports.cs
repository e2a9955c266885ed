namespace Rectify.Evidence;

public enum ProgressReportState
{
    /// <summary>已报送，待审核.</summary>
    Submitted = 0,

    /// <summary>已采纳.</summary>
    Accepted = 1,

    /// <summary>已退回.</summary>
    Returned = 2,
}

/// <summary>进展报送: a unit's report on a measure. A returned report is revised by filing a new version; every version is kept.</summary>
public sealed class ProgressReport
{
    public int Id { get; set; }

    public int MeasureId { get; set; }

    /// <summary>1, 2, 3… per measure.</summary>
    public int Number { get; set; }

    /// <summary>The report this one revises, when it does.</summary>
    public int? RevisionOfId { get; set; }

    public string Narrative { get; set; } = string.Empty;

    public int PercentComplete { get; set; }

    /// <summary>When the reported work took effect.</summary>
    public DateOnly EffectiveDate { get; set; }

    public ProgressReportState State { get; set; }

    public string SubmittedByUserId { get; set; } = string.Empty;

    public string SubmittedByName { get; set; } = string.Empty;

    public DateTime SubmittedAtUtc { get; set; }

    public string? ReviewedByName { get; set; }

    public DateTime? ReviewedAtUtc { get; set; }

    public string? ReturnReason { get; set; }

    public List<ProgressReportEvidence> Evidence { get; set; } = [];
}

/// <summary>佐证材料: one stored file, named by its SHA-256; the original name and the uploader are metadata.</summary>
public sealed class EvidenceFile
{
    public int Id { get; set; }

    public string Sha256 { get; set; } = string.Empty;

    /// <summary>SM3 digest (hex), recorded when Evidence:Digest is SM3.</summary>
    public string? Sm3 { get; set; }

    public long Length { get; set; }

    public EvidenceType Type { get; set; }

    public DateTime StoredAtUtc { get; set; }
}

public sealed class ProgressReportEvidence
{
    public int ProgressReportId { get; set; }

    public int EvidenceFileId { get; set; }

    public EvidenceFile EvidenceFile { get; set; } = null!;

    public string OriginalName { get; set; } = string.Empty;

    public string UploadedByUserId { get; set; } = string.Empty;
}
