using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Data;
using Rectify.Domain;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>The evidence a step needs, given through the pages as the people would give it.</summary>
public static class Reports
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The unit files a report with a PDF on the measure's page; returns the new report's id.</summary>
    public static async Task<int> FileReportAsync(this AppFixture app, HttpClient unit, int measure, int percent = 100)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(unit);
        var page = await unit.GetStringAsync(new Uri($"/measures/{measure}", UriKind.Relative), Ct);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Http.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent("制度已印发，附印发文件。"), "narrative" },
            { new StringContent(percent.ToString(System.Globalization.CultureInfo.InvariantCulture)), "percent" },
            // The application's day (a fixture's clock may stand on another): a report dated after it is refused.
            { new StringContent(ChinaTime.Today(app.Clock ?? TimeProvider.System).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), "effectiveDate" },
        };
        var pdf = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"%PDF-1.4\n% evidence {measure} {Guid.NewGuid()}\n%%EOF\n"));
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "files", "印发文件.pdf");
        var response = await unit.PostAsync(new Uri($"/measures/{measure}?handler=Report", UriKind.Relative), form, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RectifyDbContext>().ProgressReports.Where(r => r.MeasureId == measure).MaxAsync(r => r.Id, Ct);
    }

    /// <summary>The office accepts (采纳) a report on the measure's page.</summary>
    public static async Task AcceptReportAsync(HttpClient office, int measure, int report)
    {
        ArgumentNullException.ThrowIfNull(office);
        var response = await office.PostFromPageAsync($"/measures/{measure}", $"/measures/{measure}?handler=Review", new Dictionary<string, string>
        {
            ["reportId"] = report.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["decision"] = "accept",
            ["reason"] = string.Empty,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>What 销号 stands on: the demo unit files a report and the demo office accepts it.</summary>
    public static async Task AcceptedReportAsync(this AppFixture app, int measure)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var unit = await app.SignedInAsync("unit");
        using var office = await app.SignedInAsync("office");
        await AcceptReportAsync(office, measure, await app.FileReportAsync(unit, measure));
    }
}
