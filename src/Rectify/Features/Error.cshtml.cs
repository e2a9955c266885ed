using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Rectify.Features;

[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed partial class ErrorModel(IStringLocalizer<SharedResource> l) : PageModel
{
    public string Title { get; private set; } = string.Empty;

    public string Detail { get; private set; } = string.Empty;

    /// <summary>The page whose form was refused (a POST answered here), to go back to and send again; null otherwise.</summary>
    public string? Back { get; private set; }

    // The status is read, not bound: binding a re-executed POST would read its form, and a body over its limit must not be read.
    public void OnGet() => Describe(Code());

    public void OnPost()
    {
        Describe(Code());

        // The form's own page, without the handler's query: a page of ours (never the API, never another site).
        // Our pages' paths are letters, digits, '-', '_' and '/' segments: anything else (an encoded slash, a tab a browser
        // would drop to make "//elsewhere") is no page of ours.
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath is { Length: > 1 } path
            && OwnPagePath().IsMatch(path) && !path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase) && !path.StartsWith("/Error", StringComparison.OrdinalIgnoreCase))
        {
            Back = path;
        }
    }

    private int? Code() => int.TryParse(Request.Query["code"], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;

    private void Describe(int? code)
    {
        (Title, Detail) = code switch
        {
            413 when HttpContext.Items[Common.BodyTooLarge.Item] is Common.BodyTooLarge { Limit: < Megabyte } refusal =>
                (l["提交的内容过大"].Value, l["本次提交约 {0}，超过此处允许的 {1}。请返回，缩短填写的内容后重新提交。", Size(refusal.Declared), Size(refusal.Limit)].Value),
            413 when HttpContext.Items[Common.BodyTooLarge.Item] is Common.BodyTooLarge refusal =>
                (l["上传的内容过大"].Value, l["本次上传约 {0}，超过此处允许的 {1}。请返回，删除文档中无关的图片或拆分为几个文件后重新上传。", Size(refusal.Declared), Size(refusal.Limit)].Value),
            413 => (l["上传的内容过大"].Value, l["上传的内容超过此处允许的大小。请返回，删除文档中无关的图片或拆分为几个文件后重新上传。"].Value),
            404 => (l["找不到页面"].Value, l["您要找的内容不存在，或您无权查看。"].Value),
            400 => (l["请求无效"].Value, l["请求的内容有误，请返回后重试。"].Value),
            403 when HttpContext.Items.ContainsKey(Access.SecurityPolicyOptions.OutsideManagementNetworksItem) => (l["无权访问"].Value, l["三员账号只能从管理网络访问系统。请在管理终端上操作。"].Value),
            403 => (l["无权访问"].Value, l["您没有执行此操作的权限。"].Value),
            401 => (l["需要登录"].Value, l["请先登录后再打开此链接。"].Value),
            429 => (l["请求较多，请稍后再试"].Value, l["同时进行的同类操作（如导出台账）已达上限，请几秒后再试。"].Value),
            _ => (l["出错了"].Value, l["服务器处理请求时出错，请稍后再试或联系系统管理员。"].Value),
        };
    }

    private const long Megabyte = 1024 * 1024;

    /// <summary>"25 MB", "1.5 MB", "52 KB": as a person reads a file's size.</summary>
    internal static string Size(long bytes) => bytes >= Megabyte
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(bytes / (double)Megabyte, 1):0.#} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(bytes / 1024d):0} KB");

    [System.Text.RegularExpressions.GeneratedRegex("^(?:/[A-Za-z0-9_-]+)+$")]
    private static partial System.Text.RegularExpressions.Regex OwnPagePath();
}
