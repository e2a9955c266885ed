using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Data;

namespace Rectify.Features.Admin;

/// <summary>The system administrator creates an account with a random initial password, shown once.</summary>
[Authorize(Policy = nameof(Permission.ManageAccounts))]
public sealed class NewUserModel(RectifyDbContext db, UserAdministration administration, IOptions<SecurityPolicyOptions> policy) : PageModel
{
    public sealed record OrganizationOption(int Id, string Name, int Depth);

    public sealed record CreatedUser(string Id, string UserName, string Password);

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

        var password = InitialPasswords.New();
        try
        {
            var user = await administration.CreateAsync(UserName, DisplayName, organizationId?.ToString(System.Globalization.CultureInfo.InvariantCulture), [], password, cancellationToken);
            Created = new CreatedUser(user.Id, UserName, password);
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
