using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.Features.Account;

/// <summary>Signing out ends the session on the server (its cookie opens nothing afterwards) and asks the browser to clear what it kept.</summary>
public sealed class SignOutModel(SignInManager<RectifyUser> signIn, Sessions sessions, RectifyDbContext db, AuditLog audit) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            if (User.FindFirst(RectifyClaims.Session)?.Value is { } id)
            {
                await sessions.EndAsync(id, Sessions.Reasons.SignedOut, HttpContext.RequestAborted);
            }

            await audit.RecordAsync(new AuditEvent(AuditActions.SignedOut));
            await transaction.CommitAsync();
        }

        await signIn.SignOutAsync();
        Response.Headers["Clear-Site-Data"] = "\"cache\", \"cookies\", \"storage\"";
        return LocalRedirect("/Account/SignIn");
    }
}
