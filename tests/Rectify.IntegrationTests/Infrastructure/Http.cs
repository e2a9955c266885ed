using System.Net;
using System.Text.RegularExpressions;

namespace Rectify.IntegrationTests.Infrastructure;

public static partial class Http
{
    /// <summary>The API's JSON: web defaults, enums by name (as the application writes them).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web) { Converters = { new Rectify.Hosting.ApiJson.AssumedFieldsConverter(), new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>
    /// A client of a Kestrel test server as a visitor at <paramref name="forwardedFor"/> behind the known proxy (the test
    /// client at 127.0.0.1); with <paramref name="from"/>, connecting from another loopback address, a client that is no proxy.
    /// </summary>
    public static HttpClient BehindProxy(Uri? server, string forwardedFor, IPAddress? from = null, bool cookies = true)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies, CookieContainer = new CookieContainer() };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            };
        }

        var client = new HttpClient(handler) { BaseAddress = server };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        return client;
    }

    /// <summary>Signs in through the real sign-in form (anti-forgery token included); the client keeps the cookie.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await client.PostFromPageAsync("/Account/SignIn", "/Account/SignIn", new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = "/",
        });
    }

    /// <summary>Posts a form as a browser does: the fields plus the anti-forgery token of a page this client opened.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, string formPage, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", AntiforgeryToken(formPage))));
        return await client.PostAsync(new Uri(path, UriKind.Relative), content, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// The page a form's answer leads to, as a browser follows it: a change done answers 302 to one of our pages
    /// (Post/Redirect/Get), whose GET shows the news once; a refusal (any other answer) is returned as it is.
    /// </summary>
    public static async Task<HttpResponseMessage> FollowedAsync(this HttpClient client, HttpResponseMessage posted)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(posted);
        if (posted.StatusCode != HttpStatusCode.Redirect)
        {
            return posted;
        }

        var location = posted.Headers.Location!;
        Assert.False(location.IsAbsoluteUri, $"a form's redirect leaves the site: {location}");
        Assert.StartsWith("/", location.OriginalString, StringComparison.Ordinal);
        posted.Dispose();
        return await client.GetAsync(location, TestContext.Current.CancellationToken);
    }

    /// <summary>Opens a page, then posts its form to the given path.</summary>
    public static async Task<HttpResponseMessage> PostFromPageAsync(this HttpClient client, string page, string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(new Uri(page, UriKind.Relative), TestContext.Current.CancellationToken);
        return await client.PostFormAsync(path, html, fields);
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
