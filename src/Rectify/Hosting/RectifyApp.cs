using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;
using Rectify.Access;
using Rectify.Audit;
using Rectify.Data;
using Rectify.Domain;
using Rectify.Features;
using Rectify.Features.Inspections;
using Rectify.Features.LookBacks;
using Rectify.Features.Measures;
using Rectify.Features.Notifications;
using Rectify.Features.Plans;
using Rectify.Features.Publications;
using Rectify.Features.Registers;
using Rectify.Features.Reports;
using Rectify.Features.Common;
using Rectify.Features.Deadlines;
using Rectify.Features.Supervision;

namespace Rectify.Hosting;

/// <summary>Builds the web application: a list of Add*/Map* calls, each area registering itself.</summary>
public static class RectifyApp
{
    public const string DataFolderKey = "Rectify:DataFolder";

    public static string DataFolder(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[DataFolderKey];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured);
    }

    private static void BuildModel(IServiceProvider services)
    {
        try
        {
            using var scope = services.CreateScope();
            _ = scope.ServiceProvider.GetRequiredService<Data.RectifyDbContext>().Model;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing lost: the first use builds it again and reports what is wrong (or the host was stopped meanwhile).
        }
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Settings are read once, at start (a change takes a restart, as operations.md says): no file watcher is
            // kept per host. A watcher is an inotify instance, 128 per user by default, and every command of the CLI
            // and every host a process builds would hold one until it ended.
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        var dataFolder = DataFolder(builder.Configuration);
        AtRest.Apply(dataFolder);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<MemoryTrimOptions>(builder.Configuration.GetSection(MemoryTrimOptions.Section));
        builder.Services.AddHostedService<IdleMemoryTrim>();
        builder.Services.AddRectifyDatabase(builder.Configuration, dataFolder, CompiledModel.CompiledModels.For);
        builder.Services.AddRectifyIdentity(builder.Configuration);
        var security = builder.Configuration.GetSection(SecurityPolicyOptions.Section).Get<SecurityPolicyOptions>() ?? new SecurityPolicyOptions();
        builder.Services.AddRectifyTransport(security);
        builder.Services.AddRectifyAccessAndAudit(builder.Configuration, dataFolder);
        builder.Services.AddRectifyWeb();
        builder.Services.AddScoped<Demo.DemoSeeder>();
        builder.Services.AddScoped<MeasureWorkflow>();
        builder.Services.AddReports(builder.Configuration, dataFolder);
        builder.Services.AddScoped<LookBackService>();
        builder.Services.AddScoped<RegisterService>();
        builder.Services.AddPlans(dataFolder);
        builder.Services.AddScoped<ReportingCadenceService>();
        builder.Services.AddScoped<SignalRulesService>();
        builder.Services.AddPublications(builder.Configuration);
        builder.Services.AddNotifications(builder.Configuration);
        builder.Services.AddScoped<CalendarStore>();
        builder.Services.AddScoped<DeadlinePolicyService>();
        builder.Services.AddScoped<ExtensionService>();
        builder.Services.AddScoped<SupervisionService>();
        builder.Services.AddScoped<PolicyDeadlineService>();

        var app = builder.Build();

        // EF Core readies the data model on a context's first use: the compiled model's instance for the server's column
        // key, then its type mappings and relational model (ADR 0037; building it from the configurations took 0.8 s of
        // a 2 s start on a 2-core host). That is done on the pool while the endpoints are mapped and the start-up checks
        // run, and the first use waits for it if it is not done yet (issue #12: start to healthy within 2 s).
        _ = Task.Run(() => BuildModel(app.Services));
        app.UseRectifyTransport(security);
        app.UseRectifyPipeline(security);
        app.MapRazorPages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapApiReference();
        app.MapHealth();
        app.MapInspectionsApi();
        app.MapMeasuresApi();
        app.MapReportsApi();
        app.MapLookBacksApi();
        app.MapRegistersApi();
        app.MapPlansApi();
        app.MapPlanStructureApi();
        app.MapDeadlinesApi();
        app.MapSupervisionApi();
        app.MapOpinionsApi();
        return app;
    }

    /// <summary>Who the caller is and what they may do (cookie or personal token, per-request <see cref="Caller"/>, the permission policies), and the audit trail.</summary>
    private static void AddRectifyAccessAndAudit(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        services.AddDataProtection()
            .SetApplicationName("Rectify")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataFolder, "keys")))
            .ProtectKeysAtRest(configuration, dataFolder);
        services.AddHttpContextAccessor();
        services.AddScoped<Caller>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<ApiTokenCheck>();
        services.AddSingleton<TokenPrincipals>();
        services.AddSingleton<Features.Inspections.AnswerCache>();
        services.AddSingleton<Features.Inspections.ExportLimit>();
        services.AddScoped<Features.Common.AssumedMarks>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<Features.Inspections.ExportLimit>((o, policy) => o.AddPolicy(Features.Inspections.ExportLimit.Name, policy));
        services.AddTokenUse(configuration);
        services.AddScoped<Sessions>();
        services.AddSingleton<UnsentForms>();
        services.AddSingleton<SignInLimits>();
        services.AddAuditTrail(configuration, dataFolder);

        // The API takes a personal token (Authorization: Bearer) or the sign-in cookie; pages take only the cookie.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "rectify";
                o.DefaultAuthenticateScheme = "rectify";
                o.DefaultChallengeScheme = "rectify";
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenService.Scheme, null)
            .AddPolicyScheme("rectify", "Rectify", o => o.ForwardDefaultSelector = context =>
                IsApi(context.Request) && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenService.Scheme
                    : Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPermissionPolicies();
    }

    /// <summary>Pages (Chinese first, English by resource), the JSON API with its OpenAPI document, problem details and anti-forgery.</summary>
    private static void AddRectifyWeb(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<Features.AssetVersions>();

        // Chinese text is written as text, not as &#x...; entities: pages stay readable and half the size.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Features";

            // The only pages open without signing in: sign-in itself (and, by attribute, the error and language pages).
            o.Conventions.AllowAnonymousToPage("/Account/SignIn");

            // A handler the page does not have is 404; a refusal (a broken rule) from any page's handler comes back to
            // that page with its message.
            o.Conventions.ConfigureFilter(new UnknownHandlerFilter());
            o.Conventions.ConfigureFilter(new RefusalPageFilter());
        }).AddViewLocalization();

        // "?page=2" binds to an argument named page, not Razor Pages' own route value of that name.
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(RouteValuesButPageProviderFactory.Use);
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.ModelBinderProviders.Insert(0, new TypedDateBinderProvider()));
        services.AddOpenApi("v1", o => o.AddRectifyContract());
        services.AddApiErrors();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "rectify.af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
    }

    /// <summary>The middleware, in order: the auditing of refusals, errors, security headers, language, static files, a body over its endpoint's limit, sign-in, the management networks of the 三员, the password/second-factor gate, authorization.</summary>
    private static void UseRectifyPipeline(this WebApplication app, SecurityPolicyOptions security)
    {
        // Outermost: a refusal (403, a refused authorization or anti-forgery token) is audited when its request is over.
        app.UseDenialAudit();
        app.UseErrorAnswers(WriteError);
        app.Use(SecurityHeaders);
        app.UseRequestLocalization(Localization());
        app.UseStaticFiles();
        app.UseRouting();

        // A declared body over the endpoint's limit: 413 before the anti-forgery check (or anything) reads it.
        app.UseDeclaredBodyLimit();

        // Named policies only (the public opinion form's per-address limit); endpoints without one are not limited.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseManagementNetworks(security);
        app.Use(PasswordChangeGate);
        app.UseAuthorization();
    }

    private static void AddRectifyIdentity(this IServiceCollection services, ConfigurationManager configuration)
    {
        var policy = configuration.GetSection(SecurityPolicyOptions.Section).Get<SecurityPolicyOptions>() ?? new SecurityPolicyOptions();
        if (policy.Problem() is { } problem)
        {
            throw new RectifyConfigurationException(problem);
        }

        services.Configure<SecurityPolicyOptions>(configuration.GetSection(SecurityPolicyOptions.Section));
        services.AddIdentity<RectifyUser, IdentityRole>(o =>
            {
                // The policy validator decides length and classes; Identity's own checks are switched off so the rules live in one place.
                o.Password.RequiredLength = policy.Password.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.MaxFailedAccessAttempts = policy.Lockout.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(policy.Lockout.Minutes);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddUserManager<RectifyUserManager>()
            .AddEntityFrameworkStores<RectifyDbContext>()
            .AddUserStore<RectifyUserStore>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeCodeProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddErrorDescriber<ChineseIdentityErrors>()
            .AddPasswordValidator<PolicyPasswordValidator>()
            .AddClaimsPrincipalFactory<RectifyClaimsFactory>();

        // PBKDF2-HMAC-SHA512 at OWASP's current figure (Identity's default is 100,000); an older hash is redone at the next sign-in.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordIterations);

        // Identity registers its own validator that checks length and classes; ours replaces it.
        var builtIn = services.Where(d => d.ServiceType == typeof(IPasswordValidator<RectifyUser>) && d.ImplementationType == typeof(PasswordValidator<RectifyUser>)).ToList();
        foreach (var d in builtIn)
        {
            services.Remove(d);
        }

        // A disabled user, a new password or a changed role or organization reaches every session within a minute.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<TimeProvider>((o, clock) =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.TimeProvider = clock;

            // The refreshed principal is made afresh from the user: it keeps the session it belongs to.
            o.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.FindFirst(RectifyClaims.Session) is { } sid && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                {
                    identity.AddClaim(new System.Security.Claims.Claim(RectifyClaims.Session, sid.Value));
                }

                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<TimeProvider>((o, clock) => o.TimeProvider = clock);
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "rectify.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.LoginPath = "/Account/SignIn";
            o.LogoutPath = "/Account/SignOut";
            o.AccessDeniedPath = "/Account/SignIn";

            // Idle timeout: the cookie lives this long after the last request (sliding).
            o.ExpireTimeSpan = TimeSpan.FromMinutes(policy.Session.IdleTimeoutMinutes);
            o.SlidingExpiration = true;
            o.Events.OnSigningIn = async context =>
            {
                var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                context.Properties.Items.TryAdd(AbsoluteExpiryItem, clock.GetUtcNow().AddHours(policy.Session.AbsoluteLifetimeHours).ToString("O", CultureInfo.InvariantCulture));

                // Every sign-in (and every refresh after a change of password or second factor) opens a new server-side session; the cookie names it.
                if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity
                    && identity.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId)
                {
                    var replacing = context.HttpContext.User.FindFirst(RectifyClaims.Session)?.Value;
                    var id = await context.HttpContext.RequestServices.GetRequiredService<Sessions>()
                        .OpenAsync(userId, replacing, context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.HttpContext.RequestAborted);
                    foreach (var old in identity.FindAll(RectifyClaims.Session).ToList())
                    {
                        identity.RemoveClaim(old);
                    }

                    identity.AddClaim(new System.Security.Claims.Claim(RectifyClaims.Session, id));
                }
            };
            o.Events.OnValidatePrincipal = async context =>
            {
                // Absolute lifetime: however active, a session ends this long after signing in.
                var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
                if (!context.Properties.Items.TryGetValue(AbsoluteExpiryItem, out var value)
                    || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var absolute)
                    || clock.GetUtcNow() >= absolute)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                // The server-side session must still be open: a cookie kept after signing out, or after the password,
                // second factor, roles or account changed, is refused on its next request.
                if (context.Principal is null
                    || !await context.HttpContext.RequestServices.GetRequiredService<Sessions>().IsOpenAsync(context.Principal, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }

                await SecurityStampValidator.ValidatePrincipalAsync(context);
            };
            o.Events.OnRedirectToLogin = async context =>
            {
                // The API answers 401 instead of sending a browser to the sign-in page.
                if (IsApi(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                // Relative: the request's Host (which a client chooses) never reaches a Location header.
                var target = new Uri(context.RedirectUri, UriKind.RelativeOrAbsolute);
                var location = target.IsAbsoluteUri ? target.PathAndQuery : context.RedirectUri;

                // A cookie of ours that no longer opens a session (idle too long, signed out elsewhere): the sign-in page
                // says the session ended, and a form sent with it keeps its words for its person (Access/UnsentForms).
                if (ExpiredSessionOf(context) is { } person)
                {
                    location = QueryHelpers.AddQueryString(WithoutHandler(location), "expired", "true");
                    if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType)
                    {
                        // A form that cannot be read (malformed, over its limits) keeps nothing, and the browser still goes to sign in.
                        var texts = await UnsentForms.TextsAsync(context.Request, context.HttpContext.RequestAborted);
                        context.HttpContext.RequestServices.GetRequiredService<UnsentForms>().Keep(person, context.Request.Path, texts);
                        location = texts.Count > 0 ? QueryHelpers.AddQueryString(location, "unsent", "true") : location;
                    }
                }

                context.Response.Redirect(location);
            };
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = IsApi(context.Request) ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            };
        });
    }

    private const string AbsoluteExpiryItem = "rectify.absolute-expiry";

    /// <summary>
    /// The person an expired or closed session's cookie names, or null when the request has no cookie of ours. The cookie
    /// is authenticated by the key ring, so only a real sign-in of this installation names anyone.
    /// </summary>
    private static string? ExpiredSessionOf(RedirectContext<CookieAuthenticationOptions> context)
    {
        var options = context.Options;
        var cookie = options.CookieManager.GetRequestCookie(context.HttpContext, options.Cookie.Name!);
        return string.IsNullOrEmpty(cookie) ? null : options.TicketDataFormat.Unprotect(cookie)?.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
    }

    /// <summary>
    /// The sign-in address with the page's <c>?handler=</c> taken out of its return address: after signing in the browser
    /// asks the page itself (a GET), not a form's handler.
    /// </summary>
    private static string WithoutHandler(string location)
    {
        var at = location.IndexOf('?', StringComparison.Ordinal);
        if (at < 0)
        {
            return location;
        }

        var query = QueryHelpers.ParseQuery(location[at..]);
        if (!query.TryGetValue("ReturnUrl", out var back) || back.ToString() is not { Length: > 0 } returnUrl || returnUrl.IndexOf('?', StringComparison.Ordinal) is var q && q < 0)
        {
            return location;
        }

        var kept = QueryHelpers.ParseQuery(returnUrl[q..]).Where(p => !p.Key.Equals("handler", StringComparison.OrdinalIgnoreCase)).ToList();
        var cleaned = kept.Count == 0 ? returnUrl[..q] : QueryHelpers.AddQueryString(returnUrl[..q], kept);
        var rest = query.Where(p => p.Key != "ReturnUrl").ToList();
        return QueryHelpers.AddQueryString(QueryHelpers.AddQueryString(location[..at], "ReturnUrl", cleaned), rest);
    }

    /// <summary>PBKDF2-HMAC-SHA512 iterations (ASVS 11.4.2 / OWASP: at least 210,000).</summary>
    public const int PasswordIterations = 210_000;

    private static readonly PathString[] GateOpenPaths = ["/Account/SignOut", "/Account/Language", "/Error", "/healthz", "/css"];

    /// <summary>
    /// A user whose password is initial or expired may only change it, and one who must enrol a second factor
    /// may only do that (or sign out), until they have.
    /// </summary>
    private static async Task PasswordChangeGate(HttpContext context, Func<Task> next)
    {
        if (context.User.Identity?.IsAuthenticated == true)
        {
            var path = context.Request.Path;
            if (!AlwaysOpen(path) && RectifyClaimsFactory.FirstStepOf(context.User) is { } first && !path.StartsWithSegments(first, StringComparison.OrdinalIgnoreCase))
            {
                var passwordChange = context.User.FindFirst(RectifyClaimsFactory.PasswordChangeClaim);
                if (passwordChange is not null)
                {
                    await Refuse(context, first, passwordChange.Value == "expired" ? "密码已过期，请先在网页上修改密码。" : "请先在网页上修改初始密码。", "password_expired");
                }
                else
                {
                    await Refuse(context, first, "请先在网页上启用第二因素认证（身份验证器）。", "second_factor_required");
                }

                return;
            }
        }

        await next();

        // What a signed-in person reaches whatever the gate would ask first (on every request: no allocation).
        static bool AlwaysOpen(PathString path)
        {
            foreach (var open in GateOpenPaths)
            {
                if (path.StartsWithSegments(open, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        static async Task Refuse(HttpContext context, string page, string message, string type)
        {
            if (IsApi(context.Request))
            {
                await Results.Problem(title: message, statusCode: StatusCodes.Status403Forbidden, type: type).ExecuteAsync(context);
                return;
            }

            context.Response.Redirect(page + "?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
        }
    }

    private static bool IsApi(HttpRequest request) => ApiErrors.IsApi(request);

    private static RequestLocalizationOptions Localization()
    {
        CultureInfo[] cultures = [new("zh-CN"), new("en")];
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("zh-CN"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
        };

        // Chinese unless the person chose otherwise (query string or cookie); the browser's language is not enough to switch.
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        return options;
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // A response that set its own (an evidence download: sandbox) keeps it.
            if (Features.Common.ApiReference.Serves(context.Request))
            {
                h.ContentSecurityPolicy = Features.Common.ApiReference.ContentSecurityPolicy(context);
            }
            else if (string.IsNullOrEmpty(h.ContentSecurityPolicy))
            {
                h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
            }

            return Task.CompletedTask;
        });
        return next();
    }

    private static async Task WriteError(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, title) = error switch
        {
            BusinessRuleViolationException e => (Refusals.StatusCode(e.Refusal), e.Message),

            // A value encrypted at rest that does not open (wrong key, or altered or moved in the database): said plainly, nothing of the value or key.
            _ when ColumnDecryptionException.Find(error) is not null => (StatusCodes.Status500InternalServerError, ColumnDecryptionException.ForThePerson),
            _ => (StatusCodes.Status500InternalServerError, "服务器内部错误，请稍后再试或联系系统管理员。"),
        };
        context.Response.StatusCode = status;
        if (IsApi(context.Request))
        {
            // Never the exception's words: the trace id (added to every problem) finds them in the log.
            await ApiErrors.WriteAsync(context, new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title });
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(title);
    }
}
