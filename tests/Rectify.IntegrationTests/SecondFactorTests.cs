using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Issue #13's "a TOTP code can be used twice within its 30 s step", and the other second-factor attacks.</summary>
public abstract class SecondFactorTests(AppFixture app)
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
}

public sealed class SecondFactorTestsOnSqlite(SqliteApp app) : SecondFactorTests(app), IClassFixture<SqliteApp>;

public sealed class SecondFactorTestsOnPostgres(PostgresApp app) : SecondFactorTests(app), IClassFixture<PostgresApp>;
