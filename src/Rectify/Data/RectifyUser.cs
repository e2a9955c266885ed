using Microsoft.AspNetCore.Identity;

namespace Rectify.Data;

/// <summary>A person who signs in. Business identity (organization, roles) grows from here.</summary>
public sealed class RectifyUser : IdentityUser
{
    public string DisplayName { get; set; } = string.Empty;

    public int? OrganizationId { get; set; }

    public DateTime CreatedAtUtc { get; set; }
}
