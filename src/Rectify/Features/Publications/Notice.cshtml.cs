using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features.Common;

namespace Rectify.Features.Publications;

/// <summary>
/// The public progress notice (anonymous): the approved version in force, its correction note, the replies approved for
/// publication, the opinion form during the disclosure period and the receipt check. Everything on it comes from
/// <see cref="PublicNoticeQueries"/>, the public-only read model.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(32 * 1024)]
public sealed class NoticeModel(RectifyDbContext db, OpinionIntake intake, PublicOpinionRateLimit limit, TimeProvider clock) : PageModel, IShowsRefusals
{
    [BindProperty(SupportsGet = true, Name = "key")]
    public string Key { get; set; } = string.Empty;

    public PublicNoticeView? View { get; private set; }

    public string? FormStamp { get; private set; }

    /// <summary>The receipt code of the opinion just sent.</summary>
    public string? Receipt { get; private set; }

    public string? Error { get; private set; }

    /// <summary>What the sender typed, kept after a refusal.</summary>
    public string? Text { get; private set; }

    public string? Contact { get; private set; }

    public int? Finding { get; private set; }

    public string? Checked { get; private set; }

    public OpinionStatus? Status { get; private set; }

    /// <summary>The receipt check was sent with no code in it.</summary>
    public bool ReceiptMissing { get; private set; }

    /// <summary>The notice. A receipt code in the address (<c>?receipt=</c>, as links of earlier versions sent it) is not looked up: the check is a form post.</summary>
    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // An old link with the code in it: the code is not looked up, and the visitor is asked to type it below.
        ReceiptMissing = Request.Query.ContainsKey("receipt");
        return ShowAsync(cancellationToken);
    }

    /// <summary>
    /// The receipt check. A post, so that the code, which opens the office's reply to the sender, is never in an address:
    /// not in the browser's history (a shared computer in a service hall), a proxy's log or a link passed on.
    /// </summary>
    public async Task<IActionResult> OnPostReceiptAsync(CancellationToken cancellationToken)
    {
        var receipt = await Request.FormFieldAsync("receipt");
        if (string.IsNullOrWhiteSpace(receipt))
        {
            ReceiptMissing = true;
        }
        else
        {
            Checked = receipt.Length > 30 ? receipt[..30] : receipt;
            Status = await PublicNoticeQueries.StatusAsync(db, Key, receipt, cancellationToken);
        }

        return await ShowAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostOpinionAsync(int? finding, string? website, string? stamp, CancellationToken cancellationToken)
    {
        // The public's words and contact are read from the form, not bound as arguments (TypedSecrets: MVC logs arguments at Trace).
        var text = await Request.FormFieldAsync("text");
        var contact = await Request.FormFieldAsync("contact");
        (Text, Contact, Finding) = (text, contact, finding);
        var taken = limit.Take(HttpContext.Connection.RemoteIpAddress);
        if (!taken.Allowed)
        {
            // Too many from this address: the notice again, with their words kept and when to send them.
            var seconds = (int)Math.Ceiling(taken.RetryAfter.TotalSeconds);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Error = taken switch
            {
                { Crowded: true } => string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    "今天提交意见建议的网络地址过多，暂时不能再接收新的地址。请约 {0} 小时后再提交，您填写的内容保留在下方；也可以通过公告所列电话、邮箱、信箱反映。",
                    Math.Max(1, (seconds + 3599) / 3600)),
                { Daily: true } => string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    "提交过多：同一网络地址一天内最多提交 {0} 次。请约 {1} 小时后再提交，您填写的内容保留在下方；也可以通过公告所列电话、邮箱、信箱反映。",
                    limit.DailyLimit,
                    Math.Max(1, (seconds + 3599) / 3600)),
                _ => string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    "提交过于频繁：同一网络地址 {0} 分钟内最多提交 {1} 次。请约 {2} 分钟后再提交，您填写的内容保留在下方；也可以通过公告所列电话、邮箱、信箱反映。",
                    (int)Math.Ceiling(limit.Window.TotalMinutes),
                    limit.PermitLimit,
                    Math.Max(1, (seconds + 59) / 60)),
            };
            return await ShowAsync(cancellationToken);
        }

        var code = await intake.SubmitAsync(Key, text, contact, finding, website, stamp, taken.NewSender, cancellationToken);
        if (code is null)
        {
            return NotFound();
        }

        (Receipt, Text, Contact, Finding) = (code, null, null, null);
        return await ShowAsync(cancellationToken);
    }

    public Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken)
    {
        Error = message;
        return ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        View = await PublicNoticeQueries.FindAsync(db, Key, ChinaTime.Today(clock), cancellationToken);
        if (View is null)
        {
            return NotFound();
        }

        FormStamp = View.Standing == PublicationStanding.Open ? intake.FormStamp(Key, View.Number) : null;
        return Page();
    }
}
