using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;
using Rectify.Features.Inspections;

namespace Rectify.Features.Publications;

/// <summary>意见建议 of one inspection's notice: the office's triage inbox (assign, reply, close) and the first responsible person's approval of publishable replies.</summary>
public sealed class OpinionsModel(RectifyDbContext db, Caller caller, OpinionService opinions) : PageModel, IShowsRefusals
{
    public sealed record Choice(int Id, string Name);

    public InspectionSummary? Inspection { get; private set; }

    public IReadOnlyList<OpinionRow> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public OpinionCounts Counts { get; private set; } = new(0, 0, 0, 0, 0);

    public IReadOnlyList<Choice> Findings { get; private set; } = [];

    /// <summary>The findings' ids by their numbers: an opinion about 第 6 项 offers problem 6 to assign it to.</summary>
    public IReadOnlyDictionary<int, int> FindingIdByNumber { get; private set; } = new Dictionary<int, int>();

    public IReadOnlyList<Choice> Units { get; private set; } = [];

    public bool MayTriage => opinions.MayTriage;

    public bool MayApprove => opinions.MayApproveReplies;

    public OpinionState? State { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public Task<IActionResult> OnGetAsync(OpinionState? state, CancellationToken cancellationToken)
    {
        State = state;
        return ShowAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostAssignAsync(int opinion, int? version, int? finding, int? unit, CancellationToken cancellationToken) =>
        DoAsync(() => opinions.AssignAsync(Id, opinion, version, finding, unit, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostReplyAsync(int opinion, int? version, string? reply, bool publishable, CancellationToken cancellationToken) =>
        DoAsync(() => opinions.ReplyAsync(Id, opinion, version, reply, publishable, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostApproveReplyAsync(int opinion, int? version, CancellationToken cancellationToken) =>
        DoAsync(() => opinions.ApproveReplyAsync(Id, opinion, version, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCloseAsync(int opinion, int? version, CancellationToken cancellationToken) =>
        DoAsync(() => opinions.CloseAsync(Id, opinion, version, cancellationToken), cancellationToken);

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> DoAsync(Func<Task<WorkflowResult>> act, CancellationToken cancellationToken)
    {
        var result = await act();
        if (!result.Found)
        {
            return NotFound();
        }

        Message = result.Message;
        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Inspection = await LedgerQueries.HeadAsync(db, caller.Scope, Id, cancellationToken);
        var inbox = Inspection is null ? null : await opinions.InboxAsync(Id, State, 1, cancellationToken);
        if (inbox is null)
        {
            return NotFound();
        }

        (Rows, Total) = inbox.Value;
        Counts = await OpinionService.CountAsync(db, Id, cancellationToken);
        if (MayTriage)
        {
            var findings = await db.Findings.AsNoTracking().Where(f => f.InspectionId == Id).OrderBy(f => f.Number)
                .Select(f => new { f.Id, f.Number, f.Title }).ToListAsync(cancellationToken);
            Findings = [.. findings.Select(f => new Choice(f.Id, $"{f.Number}. {f.Title}"))];
            FindingIdByNumber = findings.ToDictionary(f => f.Number, f => f.Id);
            var units = await LedgerQueries.UnitsAsync(db, db.VisibleMeasures(caller.Scope).Where(m => m.InspectionId == Id), cancellationToken);
            Units = [.. units.Select(u => new Choice(u.Id, u.Name))];
        }

        return Page();
    }
}
