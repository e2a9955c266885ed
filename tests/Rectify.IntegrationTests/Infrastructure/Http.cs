using System.Net;
using System.Text.RegularExpressions;

namespace Rectify.IntegrationTests.Infrastructure;

public static partial class Http
{
    /// <summary>Signs in through the real sign-in form (anti-forgery token included); the client keeps the cookie.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        var form = await client.GetStringAsync(new Uri("/Account/SignIn", UriKind.Relative));
        var token = AntiforgeryToken(form);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = "/",
        });
        return await client.PostAsync(new Uri("/Account/SignIn", UriKind.Relative), content);
    }

    public static async Task<HttpClient> SignedInAsync(this AppFixture app, string userName = "office")
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.Client();
        var response = await client.SignInAsync(userName, app.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static string AntiforgeryToken(string html)
    {
        var m = TokenRegex().Match(html);
        Assert.True(m.Success, "the page has no anti-forgery token");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken""[^>]*value=""([^""]+)""")]
    private static partial Regex TokenRegex();
}
