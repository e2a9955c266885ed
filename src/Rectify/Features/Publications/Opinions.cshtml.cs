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

    /// <summary>The page of the inbox shown (50 a page, newest first): the one asked for (<see cref="PageAsked"/>), or the last.</summary>
    public ListPage<OpinionRow> Opinions { get; private set; } = new([], 0, 1, OpinionService.PageSize);

    public OpinionCounts Counts { get; private set; } = new(0, 0, 0, 0, 0);

    public IReadOnlyList<Choice> Findings { get; private set; } = [];

    /// <summary>
    /// The problem each opinion of the page chose, as the notice the sender read numbered and titled it: the number alone
    /// would name another problem once the plan was renumbered.
    /// </summary>
    public IReadOnlyDictionary<int, string> AboutTitle { get; private set; } = new Dictionary<int, string>();

    /// <summary>The finding each opinion of the page is about, found by the title the sender read (for 交办's choice).</summary>
    public IReadOnlyDictionary<int, int> AboutFinding { get; private set; } = new Dictionary<int, int>();

    public IReadOnlyList<Choice> Units { get; private set; } = [];

    /// <summary>A reply as the office typed it, for one opinion.</summary>
    public sealed record Typed(int Opinion, string? Reply, bool Publishable, string? Summary);

    /// <summary>The reply just posted, shown in its form again when it was refused.</summary>
    public Typed? TypedReply { get; private set; }

    public bool MayTriage => opinions.MayTriage;

    public bool MayApprove => opinions.MayApproveReplies;

    /// <summary>The state shown (全部 when null), kept through the page's own forms.</summary>
    [BindProperty(SupportsGet = true, Name = "state")]
    public OpinionState? State { get; set; }

    /// <summary>The page asked for, kept through the page's own forms (a posted "page" first, else the query's); clamped when shown.</summary>
    [BindProperty(SupportsGet = true, Name = "page")]
    public int? PageAsked { get; set; }

    /// <summary>Only this opinion (a notice's link names it), kept through the page's own forms.</summary>
    [BindProperty(SupportsGet = true, Name = "only")]
    public int? Only { get; set; }

    /// <summary>The names of the units opinions were handed to, by id (a unit may no longer lead a measure of the inspection).</summary>
    public IReadOnlyDictionary<int, string> UnitNames { get; private set; } = new Dictionary<int, string>();

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostAssignAsync(int opinion, int? version, int? finding, int? unit, CancellationToken cancellationToken) =>
        DoAsync(() => opinions.AssignAsync(Id, opinion, version, finding, unit, cancellationToken));

    public Task<IActionResult> OnPostReplyAsync(int opinion, int? version, string? reply, bool publishable, string? summary, CancellationToken cancellationToken)
    {
        // Shown again as typed when refused (no summary, too long, someone was first), so nothing typed is lost.
        TypedReply = new(opinion, reply, publishable, summary);
        return DoAsync(() => opinions.ReplyAsync(Id, opinion, version, reply, publishable, summary, cancellationToken));
    }

    public Task<IActionResult> OnPostApproveReplyAsync(int opinion, int? version, CancellationToken cancellationToken) =>
        DoAsync(() => opinions.ApproveReplyAsync(Id, opinion, version, cancellationToken));

    public Task<IActionResult> OnPostCloseAsync(int opinion, int? version, CancellationToken cancellationToken) =>
        DoAsync(() => opinions.CloseAsync(Id, opinion, version, cancellationToken));

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> DoAsync(Func<Task<WorkflowResult>> act)
    {
        var result = await act();
        return this.Done(result, null, ("state", State), ("only", Only), ("page", PageAsked is > 1 ? PageAsked : null));
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Inspection = await LedgerQueries.HeadAsync(db, caller.Scope, Id, cancellationToken);
        // Asked past the end (or the last opinion of a page was just closed away): the last page.
        var inbox = Inspection is null ? null : await opinions.InboxAsync(Id, State, Paging.Clamped(PageAsked), cancellationToken, Only);
        if (inbox is null)
        {
            return NotFound();
        }

        Opinions = inbox;
        var assigned = Opinions.Rows.Where(r => r.AssignedUnitId is not null).Select(r => r.AssignedUnitId!.Value).Distinct().ToList();
        UnitNames = assigned.Count == 0 ? new Dictionary<int, string>() : await db.Organizations.AsNoTracking().Where(o => assigned.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, cancellationToken);
        Counts = await OpinionService.CountAsync(db, Id, cancellationToken);
        // Each opinion's problem in the words of the notice its sender read, kept with it since it was taken.
        var titles = Opinions.Rows.Where(r => r.AboutFindingTitle is not null).ToDictionary(r => r.Id, r => r.AboutFindingTitle!);
        var older = Opinions.Rows.Where(r => r.AboutFindingNumber is not null && r.AboutFindingTitle is null).ToList();
        if (older.Count > 0)
        {
            // Opinions taken before the title was kept: the notices their senders read (a version or two).
            var read = older.Select(r => r.PublicationId).Distinct().ToList();
            var notices = (await db.Publications.AsNoTracking().Where(p => read.Contains(p.Id) && p.Snapshot != null).Select(p => new { p.Id, p.Snapshot }).ToListAsync(cancellationToken))
                .ToDictionary(p => p.Id, p => PublicNotice.FromJson(p.Snapshot!).Findings.GroupBy(f => f.Number).ToDictionary(g => g.Key, g => g.First().Title));
            foreach (var r in older.Where(r => notices.TryGetValue(r.PublicationId, out var n) && n.ContainsKey(r.AboutFindingNumber!.Value)))
            {
                titles[r.Id] = notices[r.PublicationId][r.AboutFindingNumber!.Value];
            }
        }

        AboutTitle = titles;

        if (MayTriage)
        {
            var findings = await db.Findings.AsNoTracking().Where(f => f.InspectionId == Id).OrderBy(f => f.Category.Number).ThenBy(f => f.Number)
                .Select(f => new { f.Id, f.Number, f.Title }).ToListAsync(cancellationToken);
            Findings = [.. findings.Select(f => new Choice(f.Id, $"{f.Number}. {f.Title}"))];
            var byTitle = findings.GroupBy(f => f.Title, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
            AboutFinding = AboutTitle.Where(t => byTitle.ContainsKey(t.Value)).ToDictionary(t => t.Key, t => byTitle[t.Value]);
            var units = await LedgerQueries.UnitsAsync(db, db.VisibleMeasures(caller.Scope).Where(m => m.InspectionId == Id), cancellationToken);
            Units = [.. units.Select(u => new Choice(u.Id, u.Name))];

            // A unit an opinion was handed to stays on offer (and chosen) even when it leads no measure here, so that
            // changing only the problem does not take the opinion from its unit.
            Units = [.. Units, .. UnitNames.Where(u => Units.All(c => c.Id != u.Key)).OrderBy(u => u.Value, StringComparer.Ordinal).Select(u => new Choice(u.Key, u.Value))];
        }

        return Page();
    }
}
