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
            doc.Info.Description += " 接口变更记录见 README 的“接口”一节。";

            // Redocly's no-server-trailing-slash: the server the document was asked of, without its trailing slash.
            foreach (var server in doc.Servers ?? [])
            {
                server.Url = server.Url is { Length: > 1 } url ? url.TrimEnd('/') : server.Url;
            }

            doc.Tags ??= new HashSet<OpenApiTag>();
            foreach (var tag in doc.Tags)
            {
                tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? string.Empty);
            }

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
        options.AddSchemaTransformer((schema, context, _) =>
        {
            // An enum is a string of one of its names (JsonStringEnumConverter). Where a property may be null, the property
            // says so (oneOf null or the enum), so the enum itself lists its names only and the two never overlap.
            if (schema.Enum is { Count: > 0 } && schema.Type is null)
            {
                schema.Enum = [.. schema.Enum.Where(v => v is not null)];
                schema.Type = JsonSchemaType.String;
            }

            // A day is a string yyyy-MM-dd (ApiJson's own converter leaves the schema without its type).
            if (context.JsonTypeInfo.Type == typeof(DateOnly) || context.JsonTypeInfo.Type == typeof(DateOnly?))
            {
                schema.Type = context.JsonTypeInfo.Type == typeof(DateOnly) ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date";
            }

            // The assumed fields are a list of names (ApiJson.AssumedFieldsConverter), none when nothing was assumed.
            if (context.JsonTypeInfo.Type == typeof(Domain.AssumedFields))
            {
                schema.Type = JsonSchemaType.Array;
                schema.Enum = null;
                schema.Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. Enum.GetNames<Domain.AssumedFields>().Where(n => n != nameof(Domain.AssumedFields.None)).Select(n => (System.Text.Json.Nodes.JsonNode)n)],
                };
                schema.UniqueItems = true;
                schema.Description = "原始材料没有写明、由导入或演示数据推定的字段：Kind 措施类型、Deadline 整改时限、ResponsibleLeader 责任领导、LeadUnit 牵头单位；没有推定时为空数组。";
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            await DescribeAnswersAsync(operation, context, metadata, cancellationToken);
            if (metadata.OfType<Features.Common.MultipartBodyAttribute>().FirstOrDefault() is { } multipart)
            {
                var content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new() { Schema = await context.GetOrCreateSchemaAsync(multipart.Form, cancellationToken: cancellationToken) },
                };
                if (multipart.Json is { } json)
                {
                    content["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(json, cancellationToken: cancellationToken) };
                }

                operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
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

    /// <summary>The tags' descriptions, in the user's terms.</summary>
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Inspections"] = "巡察：列表、整改台账（JSON 与 Excel）、总览、报送周期和红黄绿规则。",
        ["Plans"] = "整改方案：类别、问题、措施的编制、修改、报审与审定，台账导入。",
        ["Measures"] = "整改措施及其办理：启动、申请销号、审核、审批、重新打开。",
        ["Progress reports"] = "进展报送（含佐证材料）与整改办审核。",
        ["Look-backs"] = "回头看：安排与记录结果。",
        ["Registers"] = "制度建设、整改成效、问题线索三本台账。",
        ["Extensions"] = "延期申请：申请、审核、审批，整改时限政策与工作日历。",
        ["Calendar"] = "工作日历：法定节假日与调休，用于计算整改时限。",
        ["Supervision"] = "督办：督办通知、约谈、通报、问责，以及回复与办结。",
    };

    /// <summary>What each status of an /api error means to the caller.</summary>
    private static readonly Dictionary<int, string> ProblemDescriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "请求无效：缺少或写错的字段、值超出范围（problem+json 的 title 和 detail 说明哪里不对）",
        [StatusCodes.Status401Unauthorized] = "未登录，或个人 API 令牌无效、已过期、已撤销",
        [StatusCodes.Status403Forbidden] = "无权办理此事（角色不允许、不是本人可办的一步，或不在管理网络内）",
        [StatusCodes.Status404NotFound] = "不存在，或不在调用者的权限范围内（两者回答相同）",
        [StatusCodes.Status409Conflict] = "与当前状态冲突：已被他人处理（version 已变），或此状态下不能办理这一步",
        [StatusCodes.Status413PayloadTooLarge] = "上传内容超过上限（单个文件、文件个数或每日额度）",
        [StatusCodes.Status415UnsupportedMediaType] = "内容类型不对（应为 application/json）",
        [StatusCodes.Status500InternalServerError] = "服务器内部错误（已记录，可凭 traceId 联系系统管理员）",
        [StatusCodes.Status503ServiceUnavailable] = "暂时无法办理（如病毒扫描服务不可用），请稍后再试",
    };

    /// <summary>
    /// Every status an operation can answer, each with its body: the errors any /api call can meet (400, 401, 403, 500),
    /// 404 where the path names something, 409 and 415 for a write, 413 and 503 for an upload — all as problem+json;
    /// a stored file in its media types; a path parameter that takes an enum's names, typed as that enum.
    /// </summary>
    private static async Task DescribeAnswersAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true)
        {
            return;
        }

        var method = context.Description.HttpMethod ?? "GET";
        var write = !HttpMethods.IsGet(method);
        var multipart = metadata.OfType<Features.Common.MultipartBodyAttribute>().Any();
        operation.Responses ??= [];
        var statuses = new List<int> { 400, 401, 403, 500 };
        if (context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path))
        {
            statuses.Add(404);
        }

        if (write)
        {
            statuses.Add(409);
            if (!multipart && context.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body))
            {
                statuses.Add(415);
            }
        }

        if (multipart)
        {
            statuses.AddRange([413, 503]);
        }

        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse();
            }
        }

        var problem = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.Document);
        foreach (var (key, response) in operation.Responses.ToList())
        {
            if (int.TryParse(key, System.Globalization.CultureInfo.InvariantCulture, out var status) && status >= 400 && response is OpenApiResponse r)
            {
                r.Description = ProblemDescriptions.GetValueOrDefault(status, r.Description ?? "错误");
                r.Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } };
            }
        }

        if (metadata.OfType<Features.Common.FileAnswerAttribute>().FirstOrDefault() is { } file)
        {
            operation.Responses["200"] = new OpenApiResponse
            {
                Description = "文件本身（作为附件下载）",
                Content = (file.MediaTypes.Count > 0 ? file.MediaTypes : Features.Reports.FileTypes.Known.Values.Select(k => k.ContentType).Distinct(StringComparer.Ordinal)).ToDictionary(t => t, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
            };
        }

        // Paging bounds, as the endpoints check them: a value outside answers 400 (it is not silently replaced by the default).
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is OpenApiSchema bounded && parameter.Name is "page" or "pageSize")
            {
                bounded.Minimum = "1";
                bounded.Maximum = (parameter.Name == "page" ? Features.Common.Paging.MaxPage : Features.Inspections.LedgerFilter.MaxPageSize).ToString(System.Globalization.CultureInfo.InvariantCulture);
                parameter.Description ??= parameter.Name == "page"
                    ? "页码，从 1 起；超出范围回答 400"
                    : $"每页条数，1 到 {Features.Inspections.LedgerFilter.MaxPageSize}；超出范围回答 400（不按默认值处理）";
            }
        }

        foreach (var values in metadata.OfType<Features.Common.PathValuesAttribute>())
        {
            if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == values.Parameter) is { } parameter)
            {
                parameter.Schema = await context.GetOrCreateSchemaAsync(values.Values, cancellationToken: cancellationToken);
            }
        }
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
