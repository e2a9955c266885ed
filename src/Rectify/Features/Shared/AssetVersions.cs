using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace Rectify.Features;

/// <summary>
/// The version a style sheet's address carries (<c>?v=…</c>), so that a browser fetches it again after an upgrade: a hash
/// of the file as shipped, computed once per file. ASP.NET Core's <c>asp-append-version</c> does the same but also
/// watches the file for changes, which takes an inotify instance; on a machine that had reached its limit of those (128
/// per user by default, shared by every process of the user) every page failed with 500 when it was first drawn. The web
/// root's files never change while the server runs (an upgrade restarts it), so nothing is watched here.
/// </summary>
public sealed class AssetVersions(IWebHostEnvironment environment)
{
    private readonly ConcurrentDictionary<string, string> versions = new(StringComparer.Ordinal);

    /// <summary>The version of the web root's file at <paramref name="path"/> ("/css/site.css"); "0" for a file that is not there.</summary>
    public string Of(string path) => versions.GetOrAdd(path, Hash);

    private string Hash(string path)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory)
        {
            return "0";
        }

        using var stream = file.CreateReadStream();
        return WebEncoders.Base64UrlEncode(SHA256.HashData(stream))[..16];
    }
}
