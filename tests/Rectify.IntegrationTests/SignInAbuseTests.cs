using System.Buffers.Binary;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>Issue #13's "sign-in can be probed and abused": weak passwords, old hashes, and a lockout that switched off API tokens.</summary>
public abstract class SignInAbuseTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> NewUserAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(name, "测试用户", app.InspectedOrganization, [Roles.RectificationOffice], app.Password, Ct, initialPassword: false);
        return name;
    }

    private Task<HttpResponseMessage> ChangeAsync(HttpClient client, string next) =>
        client.PostFromPageAsync("/Account/ChangePassword", "/Account/ChangePassword", new Dictionary<string, string>
        {
            ["currentPassword"] = app.Password,
            ["newPassword"] = next,
            ["confirmPassword"] = next,
        });

    [Theory]
    [InlineData("Password123!", "过于常见")]
    [InlineData("P@ssw0rd2024", "过于常见")]
    [InlineData("Qwerty123456!", "过于常见")]
    [InlineData("万江-Strong-Pass-9", "单位名称")]
    [InlineData("我们的整改-Pass-2026", "单位名称")]
    public async Task Common_passwords_and_the_organizations_name_are_refused(string weak, string why)
    {
        app.RequireAvailable();
        var name = await NewUserAsync("weak");
        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        var refused = await ChangeAsync(client, weak);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(why, await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(client, "Ample-Unusual-Phrase-" + app.Provider)).StatusCode);
    }

    [Fact]
    public async Task A_hash_with_fewer_pbkdf2_iterations_is_redone_at_210000_on_sign_in()
    {
        app.RequireAvailable();
        var name = await NewUserAsync("rehash");
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<RectifyUser>>();
            var user = (await users.FindByNameAsync(name))!;
            Assert.Equal(210_000, Iterations(user.PasswordHash!));

            // As a hash made before this change (Identity's default of 100,000) would be.
            var old = new PasswordHasher<RectifyUser>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 })).HashPassword(user, app.Password);
            var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, old), Ct);
        }

        using var client = app.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(name, app.Password)).StatusCode);
        await using var after = app.Factory.Services.CreateAsyncScope();
        var hash = await after.ServiceProvider.GetRequiredService<RectifyDbContext>().Users.Where(u => u.UserName == name).Select(u => u.PasswordHash).SingleAsync(Ct);
        Assert.Equal(210_000, Iterations(hash!));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_sign_in_page_but_not_the_users_api_tokens()
    {
        app.RequireAvailable();
        var name = await NewUserAsync("tokens");
        ApiTokenService.Created token;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(name, null, 7, Ct);
        }

        using var attacker = app.Client();
        for (var i = 0; i < 5; i++)
        {
            await attacker.SignInAsync(name, "Wrong-password-123");
        }

        using var locked = app.Client();
        Assert.Equal(HttpStatusCode.OK, (await locked.SignInAsync(name, app.Password)).StatusCode);

        using var integration = app.Client();
        integration.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct)).StatusCode);

        // Disabling the account is another matter: its tokens stop.
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().DisableAsync(name);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await integration.GetAsync(new Uri("/api/v1/inspections", UriKind.Relative), Ct)).StatusCode);
    }

    /// <summary>Identity's V3 format: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), salt length, salt, subkey.</summary>
    private static int Iterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4))); // HMACSHA512
        return BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5, 4));
    }
}

public sealed class SignInAbuseTestsOnSqlite(SqliteApp app) : SignInAbuseTests(app), IClassFixture<SqliteApp>;

public sealed class SignInAbuseTestsOnPostgres(PostgresApp app) : SignInAbuseTests(app), IClassFixture<PostgresApp>;
