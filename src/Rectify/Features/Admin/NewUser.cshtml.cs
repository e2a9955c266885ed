using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Features.Admin;

/// <summary>
/// The system administrator creates an account without a password, and gets a one-time link (shown once) through which
/// the user sets their own: the administrator never knows it (issue #13: no becoming another user).
/// </summary>
[Authorize(Policy = nameof(Permission.ManageAccounts))]
public sealed class NewUserModel(RectifyDbContext db, UserAdministration administration, IOptions<SecurityPolicyOptions> policy, IConfiguration configuration) : PageModel
{
    public sealed record OrganizationOption(int Id, string Name, int Depth);

    public sealed record CreatedUser(string Id, string UserName, PasswordLink Link);

    public IReadOnlyList<OrganizationOption> Organizations { get; private set; } = [];

    public CreatedUser? Created { get; private set; }

    public string? Error { get; private set; }

    public string? UserName { get; private set; }

    public string? DisplayName { get; private set; }

    public int? OrganizationId { get; private set; }

    public int InitialHours => policy.Value.Password.InitialPasswordHours;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Organizations = await LoadOrganizationsAsync(db, cancellationToken);

    public async Task OnPostAsync(string? userName, string? displayName, int? organizationId, CancellationToken cancellationToken)
    {
        (UserName, DisplayName, OrganizationId) = (userName?.Trim(), displayName?.Trim(), organizationId);
        if (string.IsNullOrEmpty(UserName) || string.IsNullOrEmpty(DisplayName))
        {
            Error = "请填写用户名和姓名。";
            Organizations = await LoadOrganizationsAsync(db, cancellationToken);
            return;
        }

        try
        {
            // The account and its link in one transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var user = await administration.CreateAsync(UserName, DisplayName, organizationId?.ToString(System.Globalization.CultureInfo.InvariantCulture), [], password: null, cancellationToken);
            var token = await administration.IssuePasswordLinkAsync(user, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            Created = new CreatedUser(user.Id, UserName, PasswordLink.For(Request, configuration, user, token, InitialHours));
        }
        catch (UserAdministrationException e)
        {
            Error = e.Message;
            Organizations = await LoadOrganizationsAsync(db, cancellationToken);
        }
    }

    /// <summary>Every organization, parents before children, for a select; depth from the path.</summary>
    internal static async Task<IReadOnlyList<OrganizationOption>> LoadOrganizationsAsync(RectifyDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Organizations.AsNoTracking().OrderBy(o => o.Path).Take(5000).Select(o => new { o.Id, o.Name, o.Path }).ToListAsync(cancellationToken);
        return rows.Select(o => new OrganizationOption(o.Id, o.Name, Math.Max(0, o.Path.Count(c => c == '/') - 2))).ToList();
    }
}
