using System.Globalization;
using System.Net;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Domain;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// A 督办单 issued by an account of the 巡察办 above the team that carried out the inspection: the number the page
/// predicts, the number given and the document's signature all name the 巡察办 (they used to disagree: the page named
/// the office's own sequence and the document was signed by the team). A fixture of its own: the team is moved.
/// </summary>
public sealed class DubanIssuerTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_duban_of_the_inspection_office_above_the_team_is_numbered_and_signed_by_that_office()
    {
        app.RequireAvailable();
        const string OfficeName = "市委巡察工作领导小组办公室（测试）";
        var office = await app.ReadAsync(async db =>
        {
            var team = await db.Organizations.SingleAsync(o => db.Inspections.Any(i => i.Id == app.InspectionId && i.InspectingBodyId == o.Id), Ct);
            var parent = team.ParentId is { } p ? await db.Organizations.SingleAsync(o => o.Id == p, Ct) : null;
            var created = new Organization(OfficeName, OrganizationKind.InspectionOffice, parent);
            db.Organizations.Add(created);
            await db.SaveChangesAsync(Ct);
            created.AssignPath();
            Assert.False(await db.Organizations.AnyAsync(o => o.ParentId == team.Id, Ct), "the team has no units under it whose paths would move too");
            team.MoveUnder(created);
            await db.SaveChangesAsync(Ct);
            return created.Id;
        });
        var account = "xcb-issuer-" + app.Provider;
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Rectify.Access.UserAdministration>().CreateAsync(account, "巡察办干部", office.ToString(CultureInfo.InvariantCulture), [Rectify.Access.Roles.InspectionBody], app.Password, Ct, initialPassword: false);
        }

        using var body = await app.SignedInAsync(account);
        var today = await app.TodayAsync();
        var list = $"/inspections/{app.InspectionId}/supervision";
        Assert.Contains($"下一份督办单的编号：督办〔{today.Year}〕1号（{OfficeName}）", WebUtility.HtmlDecode(await body.GetStringAsync(new Uri(list, UriKind.Relative), Ct)), StringComparison.Ordinal);

        var measure = app.UnitMeasuresInProgress[0];
        var unitId = await app.ReadAsync(db => db.Measures.Where(m => m.Id == measure).Select(m => m.LeadUnitId!.Value).SingleAsync(Ct));
        var issued = await body.PostFromPageAsync(list, list, new Dictionary<string, string>
        {
            ["kind"] = "Duban", ["unitId"] = unitId.ToString(CultureInfo.InvariantCulture), ["measureIds"] = measure.ToString(CultureInfo.InvariantCulture),
            ["title"] = "整改进度滞后", ["content"] = "该措施进度滞后于方案要求。", ["requirement"] = "说明原因", ["replyDue"] = today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var notice = issued.Headers.Location!.OriginalString;
        using var json = JsonDocument.Parse(await body.GetStringAsync(new Uri("/api/v1" + notice, UriKind.Relative), Ct));
        Assert.Equal($"督办〔{today.Year}〕1号", json.RootElement.GetProperty("documentNumber").GetString());
        Assert.Equal(OfficeName, json.RootElement.GetProperty("issuer").GetString());

        using var docx = WordprocessingDocument.Open(new MemoryStream(await body.GetByteArrayAsync(new Uri(notice + "?handler=Docx", UriKind.Relative), Ct)), false);
        var lines = docx.MainDocumentPart!.Document!.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).Where(t => t.Length > 0).ToList();
        Assert.Equal(OfficeName, lines[^2]);
    }
}
