using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Inspections;

namespace Rectify.Features.Publications;

/// <summary>
/// 整改进展公布: the office drafts the inspection's public notice (the editable parts and each measure's public progress
/// text), previews it as the public will read it, submits it; the first responsible person approves or returns it;
/// every version is listed with its .txt, HTML fragment and .docx.
/// </summary>
public sealed class IndexModel(RectifyDbContext db, Caller caller, PublicationService publications, TimeProvider clock) : PageModel, IShowsRefusals
{
    private const int MeasurePageSize = 50;

    public sealed record VersionRow(int Number, PublicationState State, string CreatedByName, DateTime CreatedAtUtc, DateTime? SubmittedAtUtc, string? ApprovedByName, DateTime? ApprovedAtUtc, string? CorrectionNote, string? ReturnReason, DateOnly? From, DateOnly? To);

    public sealed record MeasureRow(int Id, int FindingNumber, int Number, string Text, string? PublicProgress);

    public InspectionSummary? Inspection { get; private set; }

    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];

    public VersionRow? Latest => Versions.Count > 0 ? Versions[0] : null;

    public int LatestVersionToken { get; private set; }

    public string? PublicKey { get; private set; }

    public PublicationDraft? Draft { get; private set; }

    public PublicNotice? Preview { get; private set; }

    /// <summary>The preview of a version not yet published (a draft, or one submitted for approval) whose numbers do not run in order.</summary>
    public bool PreviewOutOfOrder { get; private set; }

    /// <summary>The preview is the submitted version's frozen text (the approver's view), not a draft composed from the ledger now.</summary>
    public bool PreviewFrozen { get; private set; }

    public IReadOnlyList<MeasureRow> Measures { get; private set; } = [];

    public int MeasurePage { get; private set; } = 1;

    public int MeasurePageCount { get; private set; } = 1;

    public PublicationStanding? Standing { get; private set; }

    public OpinionCounts? Opinions { get; private set; }

    public bool MayManage => caller.May(Permission.ManagePublication);

    /// <summary>Whether the caller may open the opinions' inbox: others see the counts only.</summary>
    public bool MaySeeOpinions => OpinionService.MaySeeInboxFor(caller);

    public bool MayApprove => caller.May(Permission.ApprovePublication);

    public string? Message { get; private set; }

    /// <summary>The part of the page a done form landed at (an element's id), where its news is shown.</summary>
    public string? MessageAt { get; private set; }

    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    /// <summary>The end of a draft's 公开期限 when it is already past (a date carried over from an earlier notice, a typo).</summary>
    public DateOnly? DisclosureOver { get; private set; }

    public Task<IActionResult> OnGetAsync(int? mpage, CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        MessageAt = this.TakeMessageAt();
        return ShowAsync(mpage ?? 1, cancellationToken);
    }

    public Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken) => DoAsync(() => publications.StartAsync(Id, cancellationToken));

    public Task<IActionResult> OnPostSaveAsync(int? version, DraftForm form, string? correctionNote, CancellationToken cancellationToken)
    {
        // Kept, so that a refused save shows the draft as typed (a long form), not as last saved.
        TypedDraft = (form ?? new DraftForm()).ToDraft();
        return DoAsync(() => publications.SaveAsync(Id, version, TypedDraft, correctionNote, cancellationToken));
    }

    /// <summary>The draft as typed into the form, when its save was refused.</summary>
    private PublicationDraft? TypedDraft { get; set; }

    public Task<IActionResult> OnPostProgressAsync(int[]? measureId, string?[]? progress, int? mpage, CancellationToken cancellationToken)
    {
        var ids = measureId ?? [];
        var texts = progress ?? [];
        var map = new Dictionary<int, string?>();
        for (var i = 0; i < ids.Length && i < texts.Length; i++)
        {
            map[ids[i]] = texts[i];
        }

        return DoAsync(() => publications.WriteProgressAsync(Id, map, cancellationToken), "#public-progress", mpage);
    }

    public Task<IActionResult> OnPostSubmitAsync(int? version, CancellationToken cancellationToken) => DoAsync(() => publications.SubmitAsync(Id, version, cancellationToken));

    public Task<IActionResult> OnPostReturnAsync(int? version, string? reason, CancellationToken cancellationToken) => DoAsync(() => publications.ReturnAsync(Id, version, reason, cancellationToken));

    public Task<IActionResult> OnPostApproveAsync(int? version, CancellationToken cancellationToken) => DoAsync(() => publications.ApproveAsync(Id, version, cancellationToken));

    public Task<IActionResult> OnPostCorrectAsync(string? note, CancellationToken cancellationToken) => DoAsync(() => publications.CorrectAsync(Id, note, cancellationToken));

    /// <summary>A version as .txt (a draft as composed now, a submitted or approved one as frozen).</summary>
    public async Task<IActionResult> OnGetTxtAsync(int? number, CancellationToken cancellationToken) =>
        await NoticeAsync(number, cancellationToken) is { } n ? File(PublicNoticeLayout.TextFile(n.Notice), "text/plain; charset=utf-8", n.FileName + ".txt") : NotFound();

    public async Task<IActionResult> OnGetDocxAsync(int? number, CancellationToken cancellationToken) =>
        await NoticeAsync(number, cancellationToken) is { } n ? File(PublicNoticeLayout.Docx(n.Notice), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", n.FileName + ".docx") : NotFound();

    /// <summary>The copy-ready HTML fragment, served as text so that the office copies its source into the CMS.</summary>
    public async Task<IActionResult> OnGetFragmentAsync(int? number, CancellationToken cancellationToken) =>
        await NoticeAsync(number, cancellationToken) is { } n ? File(Encoding.UTF8.GetBytes(PublicNoticeLayout.Fragment(n.Notice)), "text/plain; charset=utf-8", n.FileName + ".html.txt") : NotFound();

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(1, cancellationToken);
    }

    private async Task<IActionResult> DoAsync(Func<Task<WorkflowResult>> act, string? anchor = null, int? mpage = null) =>
        this.Done(await act(), anchor, ("mpage", mpage is > 1 ? mpage : null));

    private async Task<(PublicNotice Notice, string FileName)?> NoticeAsync(int? number, CancellationToken cancellationToken)
    {
        if (!caller.Scope.ReadsWholeInspection || !await db.VisibleInspections(caller.Scope).AnyAsync(i => i.Id == Id, cancellationToken))
        {
            return null;
        }

        var version = await db.Publications.AsNoTracking().Where(p => p.InspectionId == Id && (number == null || p.Number == number))
            .OrderByDescending(p => p.Number).Select(p => new { p.Number, p.Content, p.Snapshot }).FirstOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            return null;
        }

        var notice = version.Snapshot is { } frozen
            ? PublicNotice.FromJson(frozen)
            : await PublicationComposer.ComposeAsync(db, caller.Scope, Id, PublicationDraft.FromJson(version.Content), ChinaTime.Today(clock), cancellationToken);
        return (notice, $"整改进展情况公布-第{version.Number}版");
    }

    private async Task<IActionResult> ShowAsync(int mpage, CancellationToken cancellationToken)
    {
        var scope = caller.Scope;
        Inspection = scope.ReadsWholeInspection ? await LedgerQueries.HeadAsync(db, scope, Id, cancellationToken) : null;
        if (Inspection is null)
        {
            return NotFound();
        }

        Versions = await db.Publications.AsNoTracking().Where(p => p.InspectionId == Id).OrderByDescending(p => p.Number)
            .Select(p => new VersionRow(p.Number, p.State, p.CreatedByName, p.CreatedAtUtc, p.SubmittedAtUtc, p.ApprovedByName, p.ApprovedAtUtc, p.CorrectionNote, p.ReturnReason, p.DisclosureFrom, p.DisclosureTo))
            .ToListAsync(cancellationToken);
        var today = ChinaTime.Today(clock);
        if (Latest is { } latest)
        {
            var row = await db.Publications.AsNoTracking().Where(p => p.InspectionId == Id && p.Number == latest.Number)
                .Select(p => new { p.Version, p.PublicKey, p.Content, p.Snapshot }).SingleAsync(cancellationToken);
            LatestVersionToken = row.Version;
            PublicKey = row.PublicKey;
            Draft = PublicationDraft.FromJson(row.Content);
            Preview = row.Snapshot is { } frozen ? PublicNotice.FromJson(frozen) : await PublicationComposer.ComposeAsync(db, scope, Id, Draft, today, cancellationToken);
            (PreviewOutOfOrder, PreviewFrozen) = (latest.State != PublicationState.Approved && !Preview.NumberedInOrder, row.Snapshot is not null);
            if (TypedDraft is { } typed && latest.State == PublicationState.Draft)
            {
                // The preview stays the saved draft's; the form shows what was typed.
                Draft = typed;
            }

            var shown = Versions.FirstOrDefault(v => v.State == PublicationState.Approved);
            Standing = shown is null ? null : Publication.StandingOn(shown.From, shown.To, today);
            DisclosureOver = latest.State == PublicationState.Draft && Draft?.DisclosureTo is { } end && end < today ? end : null;
            Opinions = await OpinionService.CountAsync(db, Id, cancellationToken);

            if (latest.State == PublicationState.Draft && MayManage)
            {
                var measures = db.Measures.AsNoTracking().Where(m => m.InspectionId == Id && m.WithdrawnAtUtc == null);
                var count = await measures.CountAsync(cancellationToken);
                MeasurePageCount = Math.Max(1, (count + MeasurePageSize - 1) / MeasurePageSize);
                MeasurePage = Math.Clamp(mpage, 1, MeasurePageCount);
                // In the notice's order: by category, then finding, then measure.
                Measures = await measures.OrderBy(m => m.Finding.Category.Number).ThenBy(m => m.Finding.Number).ThenBy(m => m.Number).ThenBy(m => m.Id)
                    .Skip((MeasurePage - 1) * MeasurePageSize).Take(MeasurePageSize)
                    .Select(m => new MeasureRow(m.Id, m.Finding.Number, m.Number, m.Text, m.PublicProgress))
                    .ToListAsync(cancellationToken);
            }
        }

        return Page();
    }

    /// <summary>Paragraphs as the form shows them: one a line, the heading up to the first 。 and the text after it.</summary>
    public static string Lines(IReadOnlyList<PublicParagraph> paragraphs) =>
        string.Join("\n", paragraphs.Select(p => p.Heading.Length == 0 ? p.Text : p.Heading.TrimEnd('。') + "。" + p.Text));

    /// <summary>The draft form's fields.</summary>
    public sealed class DraftForm
    {
        public string? Title { get; set; }

        public string? Intro { get; set; }

        public string? ResponsibilityHeading { get; set; }

        public string? Responsibility { get; set; }

        public string? TasksHeading { get; set; }

        public bool StatProblems { get; set; }

        public bool StatCompleted { get; set; }

        public bool StatRate { get; set; }

        public bool StatRules { get; set; }

        public bool StatMoney { get; set; }

        public bool StatPeople { get; set; }

        public DateOnly? StatisticsAsOf { get; set; }

        public string? NextStepsHeading { get; set; }

        public string? NextSteps { get; set; }

        public string? Invitation { get; set; }

        public DateOnly? From { get; set; }

        public DateOnly? To { get; set; }

        public string? Phone { get; set; }

        public string? Email { get; set; }

        public string? PostalAddress { get; set; }

        public string? Postcode { get; set; }

        public string? Issuer { get; set; }

        public DateOnly? Date { get; set; }

        public PublicationDraft ToDraft() => new(
            (Title ?? string.Empty).Trim(),
            (Intro ?? string.Empty).Trim(),
            (ResponsibilityHeading ?? string.Empty).Trim(),
            Paragraphs(Responsibility),
            (TasksHeading ?? string.Empty).Trim(),
            new StatisticsChoice(StatProblems, StatCompleted, StatRate, StatRules, StatMoney, StatPeople),
            StatisticsAsOf,
            (NextStepsHeading ?? string.Empty).Trim(),
            Paragraphs(NextSteps),
            string.IsNullOrWhiteSpace(Invitation) ? PublicationDraft.DefaultInvitation : Invitation.Trim(),
            From,
            To,
            Clean(Phone),
            Clean(Email),
            Clean(PostalAddress),
            Clean(Postcode),
            (Issuer ?? string.Empty).Trim(),
            Date);

        private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

        private static PublicParagraph[] Paragraphs(string? lines) =>
        [
            .. (lines ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Select(l =>
            {
                var stop = l.IndexOf('。', StringComparison.Ordinal);
                return stop > 0 && stop < l.Length - 1 ? new PublicParagraph(l[..stop], l[(stop + 1)..]) : new PublicParagraph(string.Empty, l);
            }),
        ];
    }
}
