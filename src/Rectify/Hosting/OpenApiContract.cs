using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Rectify.Access;

namespace Rectify.Hosting;

/// <summary>
/// What the OpenAPI document says beyond the endpoints' own metadata, so that a generated client can use it as it is
/// (issue #17): the two ways to sign in (the personal API token as a Bearer, and the sign-in cookie) as security schemes;
/// each operation's own requirement — token only for writes, either for reads, none for the public form.
/// </summary>
internal static class OpenApiContract
{
    public const string Bearer = "bearer";

    public const string Cookie = "cookie";

    public static OpenApiOptions AddRectifyContract(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Rectify API";
            doc.Info.Description = "巡察整改管理系统接口。读取可用个人 API 令牌（Authorization: Bearer rfy_…）或登录后的浏览器会话；写操作只接受个人 API 令牌。错误一律为 application/problem+json。";
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "rfy_{8 位前缀}_{密钥}",
                Description = "个人 API 令牌：rectify token create --user 用户名 --name 用途 --days 天数（只显示一次）。",
            };
            doc.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = "rectify.auth",
                Description = "网页登录后的会话（HTTPS 下名为 __Host-rectify.auth）；只能读取，不能写。",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<Features.Common.MultipartBodyAttribute>().FirstOrDefault() is { } multipart)
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["multipart/form-data"] = new() { Schema = await context.GetOrCreateSchemaAsync(multipart.Form, cancellationToken: cancellationToken) },
                    },
                };
            }

            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [];
                return;
            }

            var tokenOnly = metadata.OfType<AuthorizationPolicy>().Any(p => p.AuthenticationSchemes.Contains(ApiTokenService.Scheme));
            operation.Security = tokenOnly
                ? [Requirement(Bearer, context.Document)]
                : [Requirement(Bearer, context.Document), Requirement(Cookie, context.Document)];
        });
        return options;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
