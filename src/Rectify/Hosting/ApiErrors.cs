using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Rectify.Hosting;

/// <summary>
/// How the API answers when something goes wrong: always application/problem+json with a Chinese title and detail
/// (and a trace id), never an HTML page and never an exception's insides. Pages keep the HTML error page, and so does a
/// person's browser that followed a link into the API (<see cref="Features.Common.PageNavigation"/>: the export link).
/// See docs/adr/0007-api-errors-are-problem-details.md.
/// </summary>
public static partial class ApiErrors
{
    /// <summary>The paths answered as an API: /api and the OpenAPI document (not the reference for people at /api/docs, a page).</summary>
    public static bool IsApi(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !Features.Common.ApiReference.Serves(request))
            || request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
    }

    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => Complete(c.ProblemDetails, c.HttpContext));
        services.AddExceptionHandler<ClientFaults>();

        // Minimal APIs throw (instead of answering an empty 400/415) when they cannot read a request, so the answer can say why.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Errors first: an exception is answered by <see cref="ClientFaults"/> when the client caused it, else by
    /// <paramref name="failure"/>; an empty error status is answered as a problem on the API and by the /Error page elsewhere.
    /// </summary>
    public static void UseErrorAnswers(this IApplicationBuilder app, RequestDelegate failure)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = failure });
        app.UseWhen(c => IsApi(c.Request) && !Features.Common.PageNavigation.Is(c.Request), api => api.UseStatusCodePages(c => WriteAsync(c.HttpContext, new ProblemDetails())));
        app.UseWhen(c => !IsApi(c.Request) || Features.Common.PageNavigation.Is(c.Request), pages => pages.UseStatusCodePagesWithReExecute("/Error", "?code={0}"));
    }

    /// <summary>Writes a problem with the response's status (or the problem's), completed in Chinese, as application/problem+json whatever the request accepts.</summary>
    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        problem.Status ??= context.Response.StatusCode;
        Complete(problem, context);
        return Results.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>What a status says when nothing more particular was said: a Chinese title and detail, and the trace id.</summary>
    private static void Complete(ProblemDetails problem, HttpContext context)
    {
        var status = problem.Status ?? context.Response.StatusCode;
        var (title, detail) = status switch
        {
            400 => ("请求无效", "请求的格式或内容不正确。"),
            401 => ("需要登录或有效的个人 API 令牌", "请在 Authorization 头中以 Bearer 方式提供有效、未过期、未撤销的个人 API 令牌，或先登录；写操作只接受个人 API 令牌。"),
            403 => ("无权执行此操作", "您的角色或权限范围不允许这样做。"),
            404 => ("找不到所请求的对象，或无权查看", "对象不存在，或不在您的权限范围内。"),
            405 => ("不支持此请求方法", $"{context.Request.Method} 不适用于 {context.Request.Path}。"),
            406 => ("无法提供所要求的格式", "接口只以 JSON 回答。"),
            409 => ("与当前状态冲突", "请刷新后再操作。"),
            413 => ("请求体过大", "请求体超过服务器允许的上限。"),
            415 => ("不支持的内容类型", "请以 application/json 提交。"),
            >= 500 => ("服务器内部错误，请稍后再试或联系系统管理员。", "可凭 traceId 向系统管理员查询。"),
            _ => ("请求未能完成", $"状态 {status}。"),
        };
        if (problem.Title is null || problem.Title == ReasonPhrases.GetReasonPhrase(status) || problem.Title == "An error occurred while processing your request.")
        {
            problem.Title = title;
        }

        problem.Detail ??= detail;
        problem.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.TraceIdentifier);
    }

    /// <summary>"30 MB（30,000,000 字节）" for a whole number of (decimal or binary) megabytes, else the bytes.</summary>
    internal static string Size(long bytes)
    {
        var exact = string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} 字节");
        return bytes % 1_000_000 == 0 ? $"{bytes / 1_000_000} MB（{exact}）"
            : bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB（{exact}）"
            : exact;
    }

    [GeneratedRegex(@"^(?<what>.+?) limit (?<n>\d+) exceeded\.?$")]
    internal static partial Regex FormLimit();
}

/// <summary>
/// Exceptions the client caused: a body over the size limit (413), a form over its limits, unreadable JSON (400),
/// a wrong content type (415). Answered with their own status and a message that says what to change; not logged as failures.
/// </summary>
public sealed class ClientFaults : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (Describe(httpContext, exception) is not { } problem)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (ApiErrors.IsApi(httpContext.Request))
        {
            await ApiErrors.WriteAsync(httpContext, problem);
        }
        else
        {
            // A page: the words, plainly (the form that sent it is one step back).
            httpContext.Response.ContentType = "text/plain; charset=utf-8";
            await httpContext.Response.WriteAsync(problem.Title + " " + problem.Detail, cancellationToken);
        }

        return true;
    }

    private static ProblemDetails? Describe(HttpContext context, Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize),
        BadHttpRequestException { InnerException: RequestValueException value } => Problem(400, "请求体 JSON 中的值无效", "请求体 JSON 中的值无效：" + value.Message.Split(" Path:")[0] + " " + Where(value)),
        BadHttpRequestException { InnerException: JsonException json } when json.Message.Contains("could not be mapped", StringComparison.Ordinal) => Problem(400, "请求中有接口不认识的字段",
            $"不认识的字段：{Where(json)}请对照接口文档（/openapi/v1.json）检查字段名。"),
        BadHttpRequestException { InnerException: JsonException json } => Problem(400, "请求体不是有效的 JSON", "请求体不是有效的 JSON：" + Where(json)),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => Problem(415, "不支持的内容类型",
            $"请以 application/json 提交（收到的是 {(string.IsNullOrEmpty(context.Request.ContentType) ? "无内容类型" : context.Request.ContentType)}）。"),
        BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } => Problem(400, "请求无效", "请求缺少必需的参数，或参数的格式不正确。"),
        BadHttpRequestException bad => Problem(bad.StatusCode, null, null),
        InvalidDataException invalid when context.Request.HasFormContentType => Form(invalid.Message),

        // A form that ends before its last boundary: thrown while the framework reads it, not by the application's own files.
        IOException io when context.Request.HasFormContentType && io.TargetSite?.DeclaringType?.Namespace == "Microsoft.AspNetCore.WebUtilities" => Form(io.Message),
        _ => null,
    };

    /// <summary>A body over the limit, naming the limit when it is known.</summary>
    internal static ProblemDetails TooLarge(long? limit) => Problem(413, "请求体过大", limit is { } bytes
        ? $"请求体超过上限（{ApiErrors.Size(bytes)}）。请减小或分几次上传佐证材料。"
        : "请求体超过服务器允许的上限。请减小或分几次上传佐证材料。");

    /// <summary>The form limits (FormOptions) by the words of their exceptions, else a form that could not be read.</summary>
    private static ProblemDetails Form(string message)
    {
        var m = ApiErrors.FormLimit().Match(message);
        if (!m.Success)
        {
            return Problem(400, "无法读取提交的表单", "表单的格式不正确或内容不完整。");
        }

        var n = long.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        var what = m.Groups["what"].Value;
        bool Is(string words) => what.Contains(words, StringComparison.OrdinalIgnoreCase);
        return what switch
        {
            _ when Is("value count") => Problem(413, "表单项过多", $"一次最多提交 {n} 项（含文件）。"),
            _ when Is("length") && Is("form") => Problem(413, "表单中的一项过长", $"每一项的名称或文字最多 {ApiErrors.Size(n)}。"),
            _ when Is("body length") => Problem(413, "上传内容过大", $"整个表单最多 {ApiErrors.Size(n)}。"),
            _ => Problem(413, "表单超过上限", $"{what} 超过上限（{n}）。"),
        };
    }

    private static string Where(JsonException json)
    {
        var where = json.Path is { Length: > 0 } path ? $"位置 {path}" : "位置不明";
        return json.LineNumber is { } line && json.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $"{where}（第 {line + 1} 行第 {column + 1} 字节）。")
            : where + "。";
    }

    private static ProblemDetails Problem(int status, string? title, string? detail) => new() { Status = status, Title = title, Detail = detail };
}
