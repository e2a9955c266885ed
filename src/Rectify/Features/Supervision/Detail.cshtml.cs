using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Data;
using Rectify.Documents.Gongwen;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Supervision;

/// <summary>One step of the ladder: a 督办单 with its items, reply (with an attachment) and closing, or the record of a 约谈, 通报 or 问责.</summary>
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload)]
[RequestSizeLimit(MaxUpload)]
public sealed class DetailModel(RectifyDbContext db, Caller caller, SupervisionService service, Microsoft.Extensions.Options.IOptions<Reports.EvidenceOptions> evidence, TimeProvider clock) : PageModel, IShowsRefusals
{
    /// <summary>The most a reply's form may carry: its text and one file, which is held to the configured per-file limit with a clear message.</summary>
    private const long MaxUpload = 64L * 1024 * 1024;

    public Reports.EvidenceOptions EvidenceLimits => evidence.Value;

    [BindProperty(SupportsGet = true, Name = "id")]
    public int Id { get; set; }

    public NoticeDetail? Notice { get; private set; }

    public DateOnly Today { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public string? Typed { get; private set; }

    public bool CanReply => Notice is { Kind: SupervisionKind.Duban, State: SupervisionState.Open } n && caller.May(Permission.ReplyToSupervision, new MeasureParties(n.UnitPath));

    public bool CanClose => Notice is { Kind: SupervisionKind.Duban, State: SupervisionState.Replied } && caller.May(Permission.Supervise);

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message = this.TakeMessage();
        return ShowAsync(cancellationToken);
    }

    /// <summary>The 督办单 as a 公文 (.docx), for printing and filing; the other steps are records, not documents.</summary>
    public async Task<IActionResult> OnGetDocxAsync(CancellationToken cancellationToken)
    {
        var notice = await SupervisionQueries.LoadAsync(db, caller.Scope, Id, cancellationToken);
        if (notice is not { Kind: SupervisionKind.Duban })
        {
            return NotFound();
        }

        var document = DubanDocument.Compose(notice, notice.Issuer ?? notice.InspectionTitle);
        return File(GongwenWriter.Write(document), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", DubanDocument.FileName(notice));
    }

    public async Task<IActionResult> OnPostReplyAsync(string? reply, IFormFile? replyFile, CancellationToken cancellationToken)
    {
        Typed = reply;
        var file = Reports.IncomingFile.Of(replyFile);
        return this.Done(await service.ReplyAsync(Id, reply, cancellationToken, file));
    }

    public async Task<IActionResult> OnPostCloseAsync(string? decision, string? note, CancellationToken cancellationToken) =>
        this.Done(await service.CloseAsync(Id, Decision.Read(decision, "close", "return"), note, cancellationToken));

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        Today = ChinaTime.Today(clock);
        Notice = await SupervisionQueries.LoadAsync(db, caller.Scope, Id, cancellationToken);
        return Notice is null ? NotFound() : Page();
    }
}
