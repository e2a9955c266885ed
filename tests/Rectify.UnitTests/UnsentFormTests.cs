using System.Text;
using Microsoft.AspNetCore.Http;
using Rectify.Access;

namespace Rectify.UnitTests;

/// <summary>
/// What a form sent after its session ended keeps (UnsentForms): the words typed, never the form's workings, never a
/// file, and nothing at all from a body that cannot be read; shown once, to its own person.
/// </summary>
public sealed class UnsentFormTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequest Request(string contentType, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return context.Request;
    }

    [Fact]
    public async Task A_plain_form_keeps_its_words_not_its_token_numbers_dates_or_choices()
    {
        var request = Request("application/x-www-form-urlencoded",
            "__RequestVerificationToken=abc&narrative=%E5%B7%B2%E5%AE%8C%E6%88%90%E5%88%B6%E5%BA%A6%E4%BF%AE%E8%AE%A2&percent=60&effectiveDate=2026-12-07&kind=TimeBound&version=3&done=true");
        Assert.Equal(["已完成制度修订"], await UnsentForms.TextsAsync(request, Ct));
    }

    [Fact]
    public async Task A_multipart_form_is_read_up_to_its_first_file_and_never_into_it()
    {
        const string Boundary = "----b";
        var body = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\n本月开展专项检查 3 次\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n文件里的字不保留\r\n"
            + $"--{Boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n文件之后的字段\r\n--{Boundary}--\r\n";
        Assert.Equal(["本月开展专项检查 3 次"], await UnsentForms.TextsAsync(Request($"multipart/form-data; boundary={Boundary}", body), Ct));
    }

    [Fact]
    public async Task A_body_that_cannot_be_read_keeps_nothing_and_throws_nothing()
    {
        Assert.Empty(await UnsentForms.TextsAsync(Request("multipart/form-data; boundary=----b", "garbage without any boundary"), Ct));
        Assert.Empty(await UnsentForms.TextsAsync(Request("application/x-www-form-urlencoded", string.Concat(Enumerable.Range(0, 2000).Select(i => $"f{i}=%E5%AD%97&"))), Ct));
    }

    [Fact]
    public void A_form_is_shown_once_to_its_own_person_and_not_after_an_hour()
    {
        var clock = new FakeClock(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var forms = new UnsentForms(clock);
        forms.Keep("7", "/measures/5", ["进展情况"]);
        forms.Keep("8", "/measures/6", []);
        Assert.Null(forms.Take("8"));
        Assert.Null(forms.Take("9"));
        Assert.Equal(["进展情况"], forms.Take("7")?.Texts);
        Assert.Null(forms.Take("7"));

        forms.Keep("7", "/measures/5", ["进展情况"]);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(forms.Take("7"));
    }
}
