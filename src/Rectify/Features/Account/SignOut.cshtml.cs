using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.Features.Account;

public sealed class SignOutModel(SignInManager<RectifyUser> signIn, AuditLog audit) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        await audit.RecordAsync(new AuditEvent(AuditActions.SignedOut));
        await signIn.SignOutAsync();
        return LocalRedirect("/Account/SignIn");
    }
}
