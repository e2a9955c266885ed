using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Evidence;

namespace Rectify.Features.Inspections;

/// <summary>
/// The registers the notice reports on: 建章立制 and 整改成效 (kept by the office, read by everyone who sees the
/// inspection) and 问题线索 (kept and read by the discipline officer only; nobody else sees that it exists).
/// </summary>
public sealed class RegistersModel(RectifyDbContext db, AuditLog audit) : PageModel
{
    public sealed record Row(int Id, string Text, string Detail, IReadOnlyList<int> Findings);

    public InspectionSummary? Inspection { get; private set; }

    public IReadOnlyList<Row> Institutions { get; private set; } = [];

    public IReadOnlyList<Row> Outcomes { get; private set; } = [];

    public IReadOnlyList<Row> Leads { get; private set; } = [];

    public bool CanKeep => User.IsInRole(Roles.RectificationOffice);

    public bool SeesLeads => User.IsInRole(Roles.DisciplineOfficer);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    public Task<IActionResult> OnPostInstitutionAsync(int id, string? name, string? issuer, string? documentNumber, DateOnly? issuedOn, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(id, CanKeep, findings, async numbers =>
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(issuer) || issuedOn is null)
            {
                return "请填写制度名称、制定单位和印发日期。";
            }

            var entry = new Institution { InspectionId = id, Name = name.Trim(), Issuer = issuer.Trim(), DocumentNumber = string.IsNullOrWhiteSpace(documentNumber) ? null : documentNumber.Trim(), IssuedOn = issuedOn.Value };
            entry.Findings.AddRange(numbers.Select(f => new RegisterFinding { FindingId = f }));
            db.Institutions.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEvent("register.institution", ObjectType: "Institution", ObjectId: entry.Id.ToString(CultureInfo.InvariantCulture), After: new { entry.Name, entry.Issuer, entry.DocumentNumber, entry.IssuedOn }), cancellationToken: cancellationToken);
            Message = $"已登记制度“{entry.Name}”。";
            return null;
        }, cancellationToken);

    public Task<IActionResult> OnPostOutcomeAsync(int id, OutcomeKind? kind, decimal? amount, string? note, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(id, CanKeep, findings, async numbers =>
        {
            if (kind is not { } k || !Enum.IsDefined(k) || amount is not { } a || a < 0)
            {
                return "请选择成效类型并填写不小于 0 的数量。";
            }

            var entry = new Outcome { InspectionId = id, Kind = k, Amount = a, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim() };
            entry.Findings.AddRange(numbers.Select(f => new RegisterFinding { FindingId = f }));
            db.Outcomes.Add(entry);
            await db.SaveChangesAsync(cancellationToken);
            await audit.RecordAsync(new AuditEvent("register.outcome", ObjectType: "Outcome", ObjectId: entry.Id.ToString(CultureInfo.InvariantCulture), After: new { entry.Kind, entry.Amount, entry.Note }), cancellationToken: cancellationToken);
            Message = "已登记整改成效。";
            return null;
        }, cancellationToken);

    public Task<IActionResult> OnPostLeadAsync(int id, string? summary, LeadStatus? status, string? disposition, string? findings, CancellationToken cancellationToken) =>
        KeepAsync(id, SeesLeads, findings, async numbers =>
        {
            if (string.IsNullOrWhiteSpace(summary) || status is not { } st || !Enum.IsDefined(st))
            {
                return "请填写线索摘要并选择办理状态。";
            }

            var entry = new Lead { InspectionId = id, Summary = summary.Trim(), Status = st, Disposition = string.IsNullOrWhiteSpace(disposition) ? null : disposition.Trim() };
            entry.Findings.AddRange(numbers.Select(f => new RegisterFinding { FindingId = f }));
            db.Leads.Add(entry);
            await db.SaveChangesAsync(cancellationToken);

            // The audit record names the lead, not its content: the clue itself stays in the restricted register.
            await audit.RecordAsync(new AuditEvent("register.lead", ObjectType: "Lead", ObjectId: entry.Id.ToString(CultureInfo.InvariantCulture), After: new { entry.Status }), cancellationToken: cancellationToken);
            Message = "已登记问题线索。";
            return null;
        }, cancellationToken);

    /// <summary>Scope (404), then role (403), then the finding numbers and fields (400); the entry and its audit record in one transaction.</summary>
    private async Task<IActionResult> KeepAsync(int id, bool allowed, string? findings, Func<IReadOnlyList<int>, Task<string?>> keep, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        if (!await db.VisibleInspections(scope).AnyAsync(i => i.Id == id, cancellationToken))
        {
            return NotFound();
        }

        if (!allowed)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Error = "您的角色不能登记这一项。";
            return await ShowAsync(id, cancellationToken);
        }

        var numbers = new List<int>();
        foreach (var part in (findings ?? string.Empty).Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                numbers.Clear();
                Error = $"问题序号“{part}”不是数字。";
                break;
            }

            numbers.Add(n);
        }

        var known = await db.Findings.Where(f => f.InspectionId == id && numbers.Contains(f.Number)).Select(f => new { f.Id, f.Number }).ToListAsync(cancellationToken);
        var unknown = numbers.Except(known.Select(k => k.Number)).ToList();
        if (Error is null && unknown.Count > 0)
        {
            Error = $"本次巡察没有序号为 {string.Join("、", unknown)} 的问题。";
        }

        if (Error is null)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            Error = await keep(known.Select(k => k.Id).ToList());
            if (Error is null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            db.ChangeTracker.Clear();
        }

        return await ShowAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(int id, CancellationToken cancellationToken)
    {
        var scope = AccessScope.From(User);
        Inspection = await LedgerQueries.Summaries(db, scope, db.VisibleInspections(scope).AsNoTracking().Where(i => i.Id == id)).FirstOrDefaultAsync(cancellationToken);
        if (Inspection is null)
        {
            return NotFound();
        }

        var numbers = db.Findings.AsNoTracking();
        Institutions = (await db.Institutions.AsNoTracking().Where(i => i.InspectionId == id).OrderBy(i => i.IssuedOn).ThenBy(i => i.Id)
                .Select(i => new { i.Id, i.Name, i.Issuer, i.DocumentNumber, i.IssuedOn, Findings = i.Findings.Select(f => numbers.Where(n => n.Id == f.FindingId).Select(n => n.Number).First()).ToList() })
                .ToListAsync(cancellationToken))
            .Select(i => new Row(i.Id, i.Name, $"{i.Issuer} · {i.DocumentNumber ?? "—"} · {i.IssuedOn:yyyy-MM-dd}", i.Findings.Order().ToList())).ToList();
        Outcomes = (await db.Outcomes.AsNoTracking().Where(o => o.InspectionId == id).OrderBy(o => o.Id)
                .Select(o => new { o.Id, o.Kind, o.Amount, o.Note, Findings = o.Findings.Select(f => numbers.Where(n => n.Id == f.FindingId).Select(n => n.Number).First()).ToList() })
                .ToListAsync(cancellationToken))
            .Select(o => new Row(o.Id, $"{KindLabel(o.Kind)} {o.Amount.ToString("0.##", CultureInfo.InvariantCulture)}", o.Note ?? string.Empty, o.Findings.Order().ToList())).ToList();
        if (SeesLeads)
        {
            Leads = (await db.Leads.AsNoTracking().Where(l => l.InspectionId == id).OrderBy(l => l.Id)
                    .Select(l => new { l.Id, l.Summary, l.Status, l.Disposition, Findings = l.Findings.Select(f => numbers.Where(n => n.Id == f.FindingId).Select(n => n.Number).First()).ToList() })
                    .ToListAsync(cancellationToken))
                .Select(l => new Row(l.Id, l.Summary, $"{StatusLabel(l.Status)}{(l.Disposition is null ? string.Empty : " · " + l.Disposition)}", l.Findings.Order().ToList())).ToList();
        }

        return Page();
    }

    public static string KindLabel(OutcomeKind kind) => kind switch
    {
        OutcomeKind.MoneyRecovered => "挽回经济损失（万元）",
        OutcomeKind.PeopleHandled => "处理人数",
        _ => "召开会议（次）",
    };

    public static string StatusLabel(LeadStatus status) => status switch
    {
        LeadStatus.HandedOver => "已移交",
        LeadStatus.UnderReview => "核查中",
        _ => "已办结",
    };
}
