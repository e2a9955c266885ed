using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>建章立制, 整改成效 and 问题线索: kept by the right people, linked to findings, leads seen by the discipline officer only.</summary>
public abstract class RegisterTests(AppFixture app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Path => $"/inspections/{app.InspectionId}/registers";

    private async Task<HttpResponseMessage> PostAsync(HttpClient client, string handler, Dictionary<string, string> fields) =>
        await client.FollowedAsync(await client.PostFromPageAsync(Path, $"{Path}?handler={handler}", fields));

    [Fact]
    public async Task The_office_registers_institutions_and_outcomes_linked_to_findings_and_leaders_read_them()
    {
        app.RequireAvailable();
        using var office = await app.SignedInAsync("office");
        var kept = await PostAsync(office, "Institution", new() { ["name"] = "万江街道建设工程招投标管理办法", ["issuer"] = "万江街道党工委", ["documentNumber"] = "万江党工委〔2025〕12号", ["issuedOn"] = "2025-03-01", ["findings"] = "13、22" });
        Assert.Contains("已登记制度", await kept.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var outcome = await PostAsync(office, "Outcome", new() { ["kind"] = "MoneyRecovered", ["amount"] = "12.5", ["note"] = "追回缺少工程量的经济损失", ["findings"] = "22" });
        Assert.Contains("已登记整改成效", await outcome.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var unknown = await PostAsync(office, "Institution", new() { ["name"] = "某制度", ["issuer"] = "某单位", ["issuedOn"] = "2025-03-01", ["findings"] = "99" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("没有序号为 99 的问题", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var leader = await app.SignedInAsync("leader");
        var page = await leader.GetStringAsync(new Uri(Path, UriKind.Relative), Ct);
        Assert.Contains("万江党工委〔2025〕12号", page, StringComparison.Ordinal);
        Assert.Contains("挽回经济损失（万元） 12.5", page, StringComparison.Ordinal);
        Assert.Contains("13、22", page, StringComparison.Ordinal);
        Assert.DoesNotContain("某制度", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(leader, "Institution", new() { ["name"] = "x", ["issuer"] = "y", ["issuedOn"] = "2025-01-01" })).StatusCode);
    }

    [Fact]
    public async Task A_unit_reads_the_entries_that_answer_its_own_findings_and_no_other()
    {
        app.RequireAvailable();
        var (own, other) = await app.ReadAsync(async db =>
        {
            var unit = await db.Organizations.Where(o => o.Name == "纪检监察办").Select(o => o.Id).SingleAsync(Ct);
            var findings = await db.Findings.Where(f => f.InspectionId == app.InspectionId)
                .Select(f => new { f.Number, Own = f.Measures.Any(m => m.LeadUnitId == unit || m.SupportingUnits.Any(s => s.OrganizationId == unit)) })
                .ToListAsync(Ct);
            return (findings.First(f => f.Own).Number, findings.First(f => !f.Own).Number);
        });

        using var office = await app.SignedInAsync("office");
        var mark = Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(office, "Outcome", new() { ["kind"] = "PeopleHandled", ["amount"] = "2", ["note"] = $"本单位的成效{mark}", ["findings"] = $"{own}" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(office, "Outcome", new() { ["kind"] = "PeopleHandled", ["amount"] = "3", ["note"] = $"别的单位的成效{mark}", ["findings"] = $"{other}" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(office, "Institution", new() { ["name"] = $"别的单位的制度{mark}", ["issuer"] = "万江街道党工委", ["issuedOn"] = "2025-03-01", ["findings"] = $"{other}" })).StatusCode);

        using var unitClient = await app.SignedInAsync("unit");
        var page = await unitClient.GetStringAsync(new Uri(Path, UriKind.Relative), Ct);
        var api = await unitClient.GetStringAsync(new Uri($"/api/v1/inspections/{app.InspectionId}/registers", UriKind.Relative), Ct);
        foreach (var read in new[] { page, api })
        {
            Assert.Contains($"本单位的成效{mark}", read, StringComparison.Ordinal);
            Assert.DoesNotContain($"别的单位的成效{mark}", read, StringComparison.Ordinal);
            Assert.DoesNotContain($"别的单位的制度{mark}", read, StringComparison.Ordinal);
        }

        // The office, and a leader, read all of them.
        using var leader = await app.SignedInAsync("leader");
        var whole = await leader.GetStringAsync(new Uri(Path, UriKind.Relative), Ct);
        Assert.Contains($"别的单位的成效{mark}", whole, StringComparison.Ordinal);
        Assert.Contains($"别的单位的制度{mark}", whole, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leads_are_kept_and_seen_by_the_discipline_officer_only()
    {
        app.RequireAvailable();
        var discipline = "jjjc-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .CreateAsync(discipline, "纪检监察", app.InspectedOrganization, [Roles.DisciplineOfficer], app.Password, Ct, initialPassword: false);
        }

        using var officer = await app.SignedInAsync(discipline);
        var kept = await PostAsync(officer, "Lead", new() { ["summary"] = "某工程违规拆分线索（测试）", ["status"] = "UnderReview", ["disposition"] = "立案 1 人", ["findings"] = "13" });
        Assert.Contains("已登记问题线索", await kept.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("某工程违规拆分线索（测试）", await officer.GetStringAsync(new Uri(Path, UriKind.Relative), Ct), StringComparison.Ordinal);

        foreach (var other in new[] { "office", "leader", "inspector", "unit" })
        {
            using var client = await app.SignedInAsync(other);
            var page = await client.GetStringAsync(new Uri(Path, UriKind.Relative), Ct);
            Assert.DoesNotContain("某工程违规拆分线索", page, StringComparison.Ordinal);
            Assert.DoesNotContain("问题线索", page, StringComparison.Ordinal);
        }

        using var office = await app.SignedInAsync("office");
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(office, "Lead", new() { ["summary"] = "越权", ["status"] = "HandedOver" })).StatusCode);
    }
}

public sealed class RegisterTestsOnSqlite(SqliteApp app) : RegisterTests(app), IClassFixture<SqliteApp>;

public sealed class RegisterTestsOnPostgres(PostgresApp app) : RegisterTests(app), IClassFixture<PostgresApp>;
