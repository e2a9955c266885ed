using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Localization;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;

namespace Rectify.Features.Account;

/// <summary>
/// A signed-in account typing its password again before a step a session alone must not allow (修改密码, a new 接口令牌):
/// a locked account is refused until the lock ends, and a wrong password counts towards the lockout; either refusal is
/// audited under the step's action and committed, so that it stands however the page answers.
/// </summary>
internal static class CurrentPassword
{
    /// <summary>
    /// Within <paramref name="transaction"/>, on the account read again in it (so that a failure is counted on the row as it
    /// stands): null when the password is right and the account not locked; else the refusal in words, already audited
    /// and committed.
    /// </summary>
    public static async Task<string?> RefusalAsync(
        RectifyUserManager users, RectifyDbContext db, AuditLog audit, IDbContextTransaction transaction, RectifyUser user, string password, string action, IStringLocalizer l, CancellationToken cancellationToken)
    {
        await db.Entry(user).ReloadAsync(cancellationToken);
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(new AuditEvent(action, Succeeded: false, ObjectType: "User", ObjectId: user.Id, After: new { Reason = "账号已锁定" }), cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return l["输入错误的次数过多，账号已暂时锁定，请稍后再试。"];
        }

        if (await users.CheckPasswordAsync(user, password))
        {
            return null;
        }

        var counted = await users.AccessFailedAsync(user);
        await audit.RecordAsync(new AuditEvent(action, Succeeded: false, ObjectType: "User", ObjectId: user.Id, After: new { Reason = "当前密码不正确" }), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return !counted.Succeeded ? l["请稍后再试。"] : await users.IsLockedOutAsync(user) ? l["当前密码不正确。输入错误的次数过多，账号已暂时锁定，请稍后再试。"] : l["当前密码不正确。"];
    }
}
