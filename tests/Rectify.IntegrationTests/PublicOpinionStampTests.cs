using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.IntegrationTests.Infrastructure;

namespace Rectify.IntegrationTests;

/// <summary>
/// A public form sends one opinion whichever server takes it: the stamp's single-use part is stored with the opinion, so a
/// second server on the same database (or the same one after a restart) refuses the form posted again.
/// </summary>
public sealed partial class PublicOpinionStampTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_form_sent_through_one_server_is_refused_by_another_on_the_same_database()
    {
        app.RequireAvailable();
        var (id, key) = await app.PublishedAsync();
        using var visitor = app.Client();
        var page = await visitor.GetStringAsync(new Uri($"/notices/{key}", UriKind.Relative), Ct);
        var stamp = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, @"name=""stamp"" value=""([^""]+)""").Groups[1].Value);
        var sent = await NoticeSteps.SendOpinionAsync(visitor, key, "河涌夜间仍有偷排。", stamp: stamp);
        Assert.Equal(HttpStatusCode.OK, sent.Response.StatusCode);
        var receipt = ReceiptRegex().Match(sent.Html).Groups[1].Value;
        Assert.NotEmpty(receipt);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>();
            var stored = await db.PublicOpinions.Where(o => o.InspectionId == id).Select(o => o.FormStamp).SingleAsync(Ct);
            Assert.Matches("^[0-9a-f]{24}$", stored);
        }

        // Another server process on the same database and keys: nothing of the first one's memory is there.
        await using var second = new RectifyFactory(app.Settings, app.Clock);
        using var other = second.CreateClient(new() { AllowAutoRedirect = false });
        var replayed = await NoticeSteps.SendOpinionAsync(other, key, "河涌夜间仍有偷排。（重放）", stamp: stamp);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.Response.StatusCode);
        Assert.Contains("这份表单已经提交过", replayed.Html, StringComparison.Ordinal);

        // The same words on the same form (the browser's reload of the answer): the same receipt code, nothing stored again.
        var reloaded = await NoticeSteps.SendOpinionAsync(other, key, "河涌夜间仍有偷排。", stamp: stamp);
        Assert.Equal(HttpStatusCode.OK, reloaded.Response.StatusCode);
        Assert.Equal(receipt, ReceiptRegex().Match(reloaded.Html).Groups[1].Value);

        // The same words with a contact added are not taken as the same opinion: refused, the first one standing as it was.
        var changed = await NoticeSteps.SendOpinionAsync(other, key, "河涌夜间仍有偷排。", contact: "13800000000", stamp: stamp);
        Assert.Equal(HttpStatusCode.BadRequest, changed.Response.StatusCode);
        Assert.Contains("这份表单已经提交过", changed.Html, StringComparison.Ordinal);

        // A fresh form on the second server is taken.
        Assert.Equal(HttpStatusCode.OK, (await NoticeSteps.SendOpinionAsync(other, key, "路灯已修好，谢谢。")).Response.StatusCode);
        await using var check = app.Factory.Services.CreateAsyncScope();
        Assert.Equal(2, await check.ServiceProvider.GetRequiredService<Rectify.Data.RectifyDbContext>().PublicOpinions.CountAsync(o => o.InspectionId == id, Ct));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"<span class=""receipt"">([^<]+)</span>")]
    private static partial System.Text.RegularExpressions.Regex ReceiptRegex();
}
