using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Rectify.Features;

[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(IStringLocalizer<SharedResource> l) : PageModel
{
    public string Title { get; private set; } = string.Empty;

    public string Detail { get; private set; } = string.Empty;

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        (Title, Detail) = code switch
        {
            404 => (l["找不到页面"].Value, l["您要找的内容不存在，或您无权查看。"].Value),
            400 => (l["请求无效"].Value, l["请求的内容有误，请返回后重试。"].Value),
            403 when HttpContext.Items.ContainsKey(Access.SecurityPolicyOptions.OutsideManagementNetworksItem) => (l["无权访问"].Value, l["三员账号只能从管理网络访问系统。请在管理终端上操作。"].Value),
            403 => (l["无权访问"].Value, l["您没有执行此操作的权限。"].Value),
            401 => (l["需要登录"].Value, l["请先登录后再打开此链接。"].Value),
            429 => (l["请求较多，请稍后再试"].Value, l["同时进行的同类操作（如导出台账）已达上限，请几秒后再试。"].Value),
            _ => (l["出错了"].Value, l["服务器处理请求时出错，请稍后再试或联系系统管理员。"].Value),
        };
    }
}
