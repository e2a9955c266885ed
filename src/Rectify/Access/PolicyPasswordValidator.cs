using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>Length, character classes, the user's own name, and the password history (the current password and the ones before it).</summary>
public sealed class PolicyPasswordValidator(IOptions<SecurityPolicyOptions> options, RectifyDbContext db, IPasswordHasher<RectifyUser> hasher) : IPasswordValidator<RectifyUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<RectifyUser> manager, RectifyUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var policy = options.Value.Password;
        password ??= string.Empty;
        var errors = new List<IdentityError>();
        if (password.Length < policy.MinimumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooShort", Description = $"密码至少需要 {policy.MinimumLength} 个字符。" });
        }

        if (password.Length > policy.MaximumLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooLong", Description = $"密码不能超过 {policy.MaximumLength} 个字符。" });
        }

        var classes = (password.Any(char.IsAsciiLetterLower) ? 1 : 0) + (password.Any(char.IsAsciiLetterUpper) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < policy.RequiredCharacterClasses)
        {
            errors.Add(new IdentityError
            {
                Code = "PasswordClasses",
                Description = $"密码须包含小写字母、大写字母、数字、其他字符（如 - _ ! @ 或汉字）中的至少 {policy.RequiredCharacterClasses} 类。",
            });
        }

        if (!string.IsNullOrEmpty(user.UserName) && user.UserName.Length >= 3 && password.Contains(user.UserName, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new IdentityError { Code = "PasswordContainsUserName", Description = "密码不能包含用户名。" });
        }

        if (errors.Count == 0 && policy.History > 0 && await IsReusedAsync(user, password, policy.History))
        {
            errors.Add(new IdentityError { Code = "PasswordReused", Description = $"不能使用当前密码或最近 {policy.History} 次用过的密码。" });
        }

        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    private async Task<bool> IsReusedAsync(RectifyUser user, string password, int depth)
    {
        if (user.PasswordHash is { } current && hasher.VerifyHashedPassword(user, current, password) != PasswordVerificationResult.Failed)
        {
            return true;
        }

        if (string.IsNullOrEmpty(user.Id))
        {
            return false;
        }

        var previous = await db.PasswordHistory.AsNoTracking().Where(h => h.UserId == user.Id)
            .OrderByDescending(h => h.Id).Take(depth).Select(h => h.PasswordHash).ToListAsync();
        return previous.Any(hash => hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);
    }
}
