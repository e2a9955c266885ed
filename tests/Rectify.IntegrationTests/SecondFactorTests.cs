using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Issue #13's "a TOTP code can be used twice within its 30 s step", and the other second-factor attacks.</summary>
public abstract partial class SecondFactorTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A user with an authenticator enrolled; returns the name and the base32 key.</summary>
    private async Task<(string Name, string Key)> EnrolledUserAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(name, prefix, app.InspectedOrganization, [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
        var user = (await users.FindByNameAsync(name))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (name, (await users.GetAuthenticatorKeyAsync(user))!);
    }

    private async Task<HttpResponseMessage> SignInWithCodeAsync(HttpClient client, string name, string code)
    {
        var first = await client.SignInAsync(name, app.Password);
        Assert.StartsWith("/Account/SignInCode", first.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return await client.PostFromPageAsync("/Account/SignInCode", "/Account/SignInCode", new Dictionary<string, string> { ["code"] = code });
    }

    [Fact]
    public async Task A_one_time_code_is_accepted_once_and_refused_when_replayed_inside_its_step()
    {
        app.RequireAvailable();
        var (name, key) = await EnrolledUserAsync("replay");
        var code = Totp.Code(key, DateTimeOffset.UtcNow);

        using var victim = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithCodeAsync(victim, name, code)).StatusCode);

        // The attacker saw the password and the code typed, and tries them at once.
        using var attacker = app.Client();
        var replayed = await SignInWithCodeAsync(attacker, name, code);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Contains("验证码不正确", await replayed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("/Account/SignIn", (await attacker.GetAsync(new Uri("/", UriKind.Relative), Ct)).Headers.Location?.OriginalString, StringComparison.Ordinal);

        // A code from the step before the one used is older still: refused too.
        using var older = app.Client();
        var previous = await SignInWithCodeAsync(older, name, Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(-30)));
        Assert.Equal(HttpStatusCode.OK, previous.StatusCode);
    }

    [Fact]
    public async Task New_recovery_codes_need_the_authenticators_current_code_and_a_refusal_keeps_the_old_ones()
    {
        app.RequireAvailable();
        var (name, key) = await EnrolledUserAsync("renew");
        IReadOnlyList<string> old;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            old = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByNameAsync(name))!, 10))!];
        }

        var stored = await StoredCodesAsync(name);
        using var session = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithCodeAsync(session, name, Totp.Code(key, DateTimeOffset.UtcNow))).StatusCode);

        // The session alone (left open, or taken): refused, nothing made.
        var page = await session.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        Assert.Contains("id=\"renew-code\"", page, StringComparison.Ordinal);
        var bare = await RenewAsync(session, page, null);
        Assert.Contains("请输入身份验证器当前显示的 6 位验证码，确认是您本人后才能生成新的恢复码。原有恢复码仍然有效。", bare, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"recovery-codes\"", bare, StringComparison.Ordinal);
        Assert.Equal(stored, await StoredCodesAsync(name));

        // A wrong code (none of the steps the server accepts now): refused, nothing made.
        var now = DateTimeOffset.UtcNow;
        var near = new[] { -60, -30, 0, 30, 60 }.Select(s => Totp.Code(key, now.AddSeconds(s))).ToHashSet();
        var wrong = Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(c => !near.Contains(c));
        var refused = await RenewAsync(session, page, wrong);
        Assert.Contains("验证码不正确，没有生成新的恢复码，原有恢复码仍然有效。", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"recovery-codes\"", refused, StringComparison.Ordinal);
        Assert.Equal(stored, await StoredCodesAsync(name));

        // The old codes still sign in after the refusals.
        using (var phoneLost = app.Client())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await SignInWithCodeAsync(phoneLost, name, old[0])).StatusCode);
        }

        // With the authenticator's code (the next step's: the current one was used to sign in): ten new codes, the old ones void.
        var renewed = await RenewAsync(session, page, Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        var fresh = RecoveryCode().Matches(renewed).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(old));
        using (var later = app.Client())
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInWithCodeAsync(later, name, old[1])).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await SignInWithCodeAsync(later, name, fresh[0])).StatusCode);
        }
    }

    [Fact]
    public async Task A_session_alone_guesses_neither_codes_at_enrolment_nor_the_current_password_wrong_tries_count_towards_the_lockout()
    {
        app.RequireAvailable();
        var (name, key) = await EnrolledUserAsync("reenrol");
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByNameAsync(name))!, 10);
        }

        var stored = await StoredCodesAsync(name);
        using var session = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await SignInWithCodeAsync(session, name, Totp.Code(key, DateTimeOffset.UtcNow))).StatusCode);

        // With the factor enabled, the enrolment form makes nothing, even with the right code: recovery codes come only
        // from their own form, which asks for the code and counts wrong ones.
        var page = await session.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        var again = await session.PostFormAsync("/Account/TwoFactor", page, new Dictionary<string, string> { ["code"] = Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)) });
        var body = System.Net.WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync(Ct));
        Assert.Contains("第二因素认证已经启用", body, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"recovery-codes\"", body, StringComparison.Ordinal);
        Assert.Equal(stored, await StoredCodesAsync(name));

        // Wrong current passwords count towards the lockout and are audited; once locked, even the right one is refused
        // and the password stays as it was.
        var limit = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;
        var form = await session.GetStringAsync(new Uri("/Account/ChangePassword", UriKind.Relative), Ct);
        for (var i = 0; i < limit; i++)
        {
            var wrong = await session.PostFormAsync("/Account/ChangePassword", form, new Dictionary<string, string> { ["currentPassword"] = $"猜的密码{i}", ["newPassword"] = "Another-Pass-2026!x", ["confirmPassword"] = "Another-Pass-2026!x" });
            Assert.Contains("当前密码不正确", System.Net.WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }

        var locked = await session.PostFormAsync("/Account/ChangePassword", form, new Dictionary<string, string> { ["currentPassword"] = app.Password, ["newPassword"] = "Another-Pass-2026!x", ["confirmPassword"] = "Another-Pass-2026!x" });
        Assert.Contains("账号已暂时锁定", System.Net.WebUtility.HtmlDecode(await locked.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        var userId = await app.ReadAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync(Ct));
        // Each wrong password and the try while locked.
        Assert.Equal(limit + 1, await app.ReadAsync(db => db.AuditEntries.CountAsync(e => e.Action == Audit.AuditActions.PasswordChanged && !e.Succeeded && e.ObjectId == userId, Ct)));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            var user = (await users.FindByNameAsync(name))!;
            Assert.True(await users.IsLockedOutAsync(user));
            Assert.True(await users.CheckPasswordAsync(user, app.Password));
        }
    }

    [Fact]
    public async Task Wrong_codes_at_enrolment_lock_nobody_out_the_page_shows_the_key_so_guessing_gains_nothing()
    {
        app.RequireAvailable();
        var name = $"enrol-{Guid.NewGuid():N}"[..20];
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(name, "enrol", app.InspectedOrganization, [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        }

        using var session = app.Client();
        await session.SignInAsync(name, app.Password);
        var page = await session.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        await session.PostFormAsync("/Account/TwoFactor?handler=Key", page, []);
        page = await session.GetStringAsync(new Uri("/Account/TwoFactor", UriKind.Relative), Ct);
        var key = await app.ReadAsync(db => db.UserTokens.Where(t => t.Name == "AuthenticatorKey" && db.Users.Any(u => u.Id == t.UserId && u.UserName == name)).Select(t => t.Value).SingleAsync(Ct));
        var near = new[] { -60, -30, 0, 30, 60 }.Select(s => Totp.Code(key!, DateTimeOffset.UtcNow.AddSeconds(s))).ToHashSet();
        var wrong = Enumerable.Range(0, 10).Select(i => $"{i}{i}{i}{i}{i}{i}").First(c => !near.Contains(c));
        var limit = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Lockout.MaxFailedAccessAttempts;
        for (var i = 0; i < limit; i++)
        {
            var refused = await session.PostFormAsync("/Account/TwoFactor", page, new Dictionary<string, string> { ["code"] = wrong });
            Assert.Contains("验证码不正确", System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        }

        // A phone whose clock was off is set right: the right code enrols, and the account was never locked.
        var enrolled = await session.PostFormAsync("/Account/TwoFactor", page, new Dictionary<string, string> { ["code"] = Totp.Code(key!, DateTimeOffset.UtcNow) });
        Assert.Contains("id=\"recovery-codes\"", await enrolled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(await app.ReadAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.TwoFactorEnabled).SingleAsync(Ct)));
        Assert.Null(await app.ReadAsync(db => db.Users.Where(u => u.UserName == name).Select(u => u.LockoutEnd).SingleAsync(Ct)));
    }

    private static async Task<string> RenewAsync(HttpClient client, string page, string? code)
    {
        var response = await client.PostFormAsync("/Account/TwoFactor?handler=RecoveryCodes", page, code is null ? [] : new Dictionary<string, string> { ["code"] = code });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
    }

    private Task<string?> StoredCodesAsync(string name) => app.ReadAsync(db =>
        db.UserTokens.Where(t => t.Name == "RecoveryCodes" && db.Users.Any(u => u.Id == t.UserId && u.UserName == name)).Select(t => t.Value).SingleAsync(Ct));

    [System.Text.RegularExpressions.GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial System.Text.RegularExpressions.Regex RecoveryCode();
}

public sealed class SecondFactorTestsOnSqlite(SqliteApp app) : SecondFactorTests(app), IClassFixture<SqliteApp>;

public sealed class SecondFactorTestsOnPostgres(PostgresApp app) : SecondFactorTests(app), IClassFixture<PostgresApp>;
