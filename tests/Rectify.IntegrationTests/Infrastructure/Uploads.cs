using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Access;

namespace Rectify.IntegrationTests.Infrastructure;

/// <summary>What the upload tests share: a client with a personal token, and a progress report carrying one file.</summary>
public static class Uploads
{
    /// <summary>Gives <paramref name="client"/> a new personal token of <paramref name="userName"/> (one day).</summary>
    public static async Task<HttpClient> WithTokenAsync(this HttpClient client, IServiceProvider services, string userName, string purpose)
    {
        ArgumentNullException.ThrowIfNull(client);
        await using var scope = services.CreateAsyncScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync(userName, purpose, 1, TestContext.Current.CancellationToken);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return client;
    }

    /// <summary>Files a report through the API with one file under <paramref name="name"/> (<paramref name="star"/>: given as filename* only).</summary>
    public static async Task<HttpResponseMessage> ReportWithFileAsync(this HttpClient unit, int measure, string name, byte[] bytes, bool star = false)
    {
        ArgumentNullException.ThrowIfNull(unit);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("附佐证材料。"), "narrative" },
            { new StringContent("60"), "percent" },
            { new StringContent("2025-03-01"), "effectiveDate" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (star)
        {
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"files\"", FileNameStar = name };
            form.Add(file);
        }
        else
        {
            form.Add(file, "files", name);
        }

        return await unit.PostAsync(new Uri($"/api/v1/measures/{measure}/reports", UriKind.Relative), form, TestContext.Current.CancellationToken);
    }
}
