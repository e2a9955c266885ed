using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>
/// Length, character classes, the common and breached passwords shipped as data (<see cref="CommonPasswords"/>), the
/// user's own names, their organization's name and the system's words, and the password history (the current password
/// and the ones before it).
/// </summary>
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

        if (CommonPasswords.IsCommon(password))
        {
            errors.Add(new IdentityError { Code = "PasswordCommon", Description = "这个密码过于常见（在常用密码或泄露密码清单中，或只是在其前后加了数字和符号），请换一个。" });
        }

        if (await ForbiddenWordAsync(user, password) is { } word)
        {
            errors.Add(new IdentityError { Code = "PasswordContextWord", Description = $"密码不能包含姓名、单位名称或本系统的名称（“{word}”）。" });
        }

        if (errors.Count == 0 && policy.History > 0 && await IsReusedAsync(user, password, policy.History))
        {
            errors.Add(new IdentityError { Code = "PasswordReused", Description = $"不能使用当前密码或最近 {policy.History} 次用过的密码。" });
        }

        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    /// <summary>Words a guesser tries first for this user: their names, their organization's name and its core, the system's own words.</summary>
    private async Task<string?> ForbiddenWordAsync(RectifyUser user, string password)
    {
        var words = new List<string> { "巡察", "整改", "rectify", "xuncha", "zhenggai" };
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            words.Add(user.DisplayName.Trim());
        }

        if (user.OrganizationId is { } org)
        {
            var names = await db.Organizations.AsNoTracking().Where(o => o.Id == org).Select(o => new { o.Name, o.ShortName }).SingleOrDefaultAsync();
            if (names is not null)
            {
                words.AddRange(OrganizationWords(names.Name));
                if (!string.IsNullOrWhiteSpace(names.ShortName))
                {
                    words.AddRange(OrganizationWords(names.ShortName));
                }
            }
        }

        return words.Where(w => w.Length >= (w.All(char.IsAscii) ? 4 : 2))
            .FirstOrDefault(w => password.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly string[] GenericWords =
        ["中国共产党", "中共", "工作委员会", "委员会", "人民政府", "办公室", "街道", "党委", "党组", "党工委", "工委", "政府", "机关", "巡察组", "巡察办", "第", "市委", "区委", "县委", "镇", "乡", "市", "区", "县", "省", "局", "办", "组"];

    /// <summary>The organization's full name and what is left of it without generic words: 中共万江街道工作委员会 → 万江.</summary>
    public static IEnumerable<string> OrganizationWords(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        yield return name.Trim();
        var core = name;
        foreach (var generic in GenericWords)
        {
            core = core.Replace(generic, " ", StringComparison.Ordinal);
        }

        foreach (var part in core.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return part;
        }
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

/// <summary>The shipped list of common and breached passwords (Access/common-passwords.txt), matched also when decorated with digits and symbols at either end.</summary>
public static class CommonPasswords
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    public static bool IsCommon(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.Trim().ToLowerInvariant();
        if (List.Value.Contains(lower))
        {
            return true;
        }

        // "Password123!", "2024qwerty", "!!Letmein": the word inside the decoration.
        var core = lower.Trim(" 0123456789!@#$%^&*()_-+=.,;:?~`'\"/\\|[]{}<>".ToCharArray());
        return core.Length > 0 && List.Value.Contains(core);
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("Rectify.Access.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0 && !word.StartsWith('#'))
            {
                set.Add(word.ToLowerInvariant());
            }
        }

        return set;
    }
}
