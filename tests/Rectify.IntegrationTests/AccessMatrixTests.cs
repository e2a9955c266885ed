using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.Data;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>docs/access-matrix.tsv against the running application: every endpoint, every role, own and other organization.</summary>
public abstract class AccessMatrixTests(AppFixture app)
{
    /// <summary>The only endpoints a stranger may reach.</summary>
    private static readonly HashSet<string> AnonymousAllowList =
    [
        "/Account/SignIn", "/Account/SignInCode", "/Account/SetPassword", "/Account/Language", "/Error", "/healthz", "/notices/{key}",
        // The API reference's published script and icon (Scalar.AspNetCore's own files, no data); its page needs a sign-in.
        "/api/docs/scalar.js", "/api/docs/scalar.aspnetcore.js", "/api/docs/favicon.svg",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Row(string Route, string Method, string Request, IReadOnlyDictionary<string, string> Expected, int Line);

    private static (List<string> Roles, List<Row> Rows) ReadMatrix()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "access-matrix.tsv"));
        List<string>? roles = null;
        var rows = new List<Row>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            if (roles is null)
            {
                Assert.Equal(["route", "method", "request"], cells[..3]);
                roles = [.. cells[3..]];
                continue;
            }

            Assert.True(cells.Length == roles.Count + 3, $"access-matrix.tsv line {i + 1}: expected {roles.Count + 3} cells, found {cells.Length}");
            rows.Add(new Row(cells[0], cells[1], cells[2], roles.Select((r, k) => (r, cells[k + 3])).ToDictionary(x => x.r, x => x.Item2), i + 1));
        }

        return (roles!, rows);
    }

    private List<(string Route, bool Anonymous)> MappedEndpoints()
    {
        var sources = app.Factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        return sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => ("/" + (e.RoutePattern.RawText ?? string.Empty).TrimStart('/'), e.Metadata.GetMetadata<IAllowAnonymous>() is not null))
            .Distinct()
            .ToList();
    }

    [Fact]
    public void Every_mapped_endpoint_is_in_the_matrix_and_only_the_allow_list_is_anonymous()
    {
        app.RequireAvailable();
        var (_, rows) = ReadMatrix();
        var mapped = MappedEndpoints();
        Assert.True(mapped.Count >= 20, $"only {mapped.Count} endpoints were found");

        var missing = mapped.Select(m => m.Route).Where(r => !rows.Any(row => row.Route == r)).ToList();
        Assert.True(missing.Count == 0, "endpoints missing from docs/access-matrix.tsv: " + string.Join(", ", missing));

        var stale = rows.Where(row => !mapped.Any(m => m.Route == row.Route)).Select(row => $"line {row.Line}: {row.Route}").ToList();
        Assert.True(stale.Count == 0, "matrix rows for endpoints that do not exist: " + string.Join(", ", stale));

        var anonymous = mapped.Where(m => m.Anonymous && !AnonymousAllowList.Contains(m.Route)).Select(m => m.Route).ToList();
        Assert.True(anonymous.Count == 0, "anonymous endpoints outside the allow-list: " + string.Join(", ", anonymous));
    }

    [Fact]
    public async Task Every_role_gets_exactly_the_status_the_matrix_says_for_its_own_and_another_organization()
    {
        app.RequireAvailable();
        var (roles, rows) = ReadMatrix();
        var users = await PrepareUsersAsync();
        var own = await PlaceholdersAsync(app.InspectionId);
        var other = await PlaceholdersAsync(app.OtherInspectionId);
        var failures = new List<string>();
        var clients = new Dictionary<string, HttpClient>();
        try
        {
            foreach (var role in roles)
            {
                clients[role] = role == "anonymous" ? app.Client() : await app.SignedInAsync(users[role]);
            }

            foreach (var row in rows)
            {
                foreach (var role in roles)
                {
                    var cell = row.Expected[role].Split('/');
                    foreach (var (which, values) in new[] { ("own", own), ("other", other) })
                    {
                        var expected = int.Parse(cell.Length == 2 && which == "other" ? cell[1] : cell[0], System.Globalization.CultureInfo.InvariantCulture);

                        // Signing out ends the session: use a client of its own for that row.
                        using var fresh = row.Route == "/Account/SignOut" && role != "anonymous" ? await app.SignedInAsync(users[role]) : null;
                        var client = fresh ?? clients[role];
                        var actual = (int)(await SendAsync(client, row, Fill(row.Request, values, users))).StatusCode;
                        if (actual != expected)
                        {
                            failures.Add($"line {row.Line} {row.Method} {Fill(row.Request, values, users)} as {role} ({which}): expected {expected}, got {actual}");
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (var c in clients.Values)
            {
                c.Dispose();
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Row row, string request)
    {
        if (row.Method == "GET")
        {
            return await client.GetAsync(new Uri(request, UriKind.Relative), Ct);
        }

        if (request.StartsWith("/api/", StringComparison.Ordinal))
        {
            // The API takes JSON; an empty object is a harmless request.
            using var message = new HttpRequestMessage(new HttpMethod(row.Method), new Uri(request, UriKind.Relative))
            {
                Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            };
            return await client.SendAsync(message, Ct);
        }

        // A real form post: the anti-forgery token from a page this client may open, and harmless fields.
        var fields = new List<KeyValuePair<string, string>>();
        if (request.Contains("handler=Roles", StringComparison.Ordinal))
        {
            fields.Add(new("roles", Roles.RectificationOffice));
        }

        if (request.StartsWith("/Account/Language", StringComparison.Ordinal))
        {
            fields.Add(new("culture", "zh-CN"));
        }

        return await client.PostFromPageAsync("/Account/SignIn", request, fields);
    }

    private static string Fill(string request, Dictionary<string, string> values, Dictionary<string, string> users) =>
        values.Aggregate(request, (r, kv) => r.Replace("{" + kv.Key + "}", kv.Value, StringComparison.Ordinal))
            .Replace("{user}", users["target"], StringComparison.Ordinal);

    private async Task<Dictionary<string, string>> PlaceholdersAsync(int inspectionId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();

        // A measure in progress that the unit reporter's unit leads, so that "own" is own for every business role.
        var measure = await db.Measures.Where(m => m.InspectionId == inspectionId && m.LeadUnit!.Name == "纪检监察办" && m.State == Rectify.Domain.MeasureState.InProgress).OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.FindingId }).FirstOrDefaultAsync(Ct)
            ?? await db.Measures.Where(m => m.InspectionId == inspectionId).OrderBy(m => m.Id).Select(m => new { m.Id, m.FindingId }).FirstAsync(Ct);
        return new()
        {
            ["inspection"] = inspectionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["finding"] = measure.FindingId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["measure"] = measure.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>One signed-in user per role (the demo's where it has one) and a target account for the administration rows.</summary>
    private async Task<Dictionary<string, string>> PrepareUsersAsync()
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var db = scope.ServiceProvider.GetRequiredService<RectifyDbContext>();
        var users = new Dictionary<string, string>
        {
            ["office"] = "office",
            ["unit"] = "unit",
            ["leader"] = "leader",
            ["body"] = "inspector",
            ["sysadmin"] = "admin",
        };
        foreach (var (role, userName, roleName, organization) in new[]
        {
            ("first", "m-first", Roles.FirstResponsible, app.InspectedOrganization),
            ("discipline", "m-discipline", Roles.DisciplineOfficer, app.InspectedOrganization),
            ("secadmin", "m-secadmin", Roles.SecurityAdministrator, (string?)null),
            ("auditadmin", "m-auditor", Roles.AuditAdministrator, null),
            ("target", "m-target", Roles.RectificationOffice, app.InspectedOrganization),
        })
        {
            if (!await db.Users.AnyAsync(u => u.UserName == userName, Ct))
            {
                await admin.CreateAsync(userName, userName, organization, [roleName], app.Password, Ct, initialPassword: false);
            }

            users[role] = userName;
        }

        users["target"] = await db.Users.Where(u => u.UserName == "m-target").Select(u => u.Id).SingleAsync(Ct);
        return users;
    }
}

public sealed class AccessMatrixTestsOnSqlite(SqliteApp app) : AccessMatrixTests(app), IClassFixture<SqliteApp>;

public sealed class AccessMatrixTestsOnPostgres(PostgresApp app) : AccessMatrixTests(app), IClassFixture<PostgresApp>;
