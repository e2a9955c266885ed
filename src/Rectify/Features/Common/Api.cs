using Rectify.Access;

namespace Rectify.Features.Common;

/// <summary>The answer to a write: what was done, in the user's language, and the id of what was made.</summary>
public sealed record WriteResult(string Message, int? Id = null);

/// <summary>
/// The form an endpoint that reads its own multipart body takes, for the OpenAPI document only (the endpoint reads the
/// form itself, to answer a wrong one in the user's words; <c>Accepts</c> would refuse it with 415 before sign-in).
/// </summary>
/// <remarks>An endpoint that also takes the same request as JSON names its JSON type too (<see cref="Json"/>).</remarks>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MultipartBodyAttribute(Type form, Type? json = null) : Attribute
{
    public Type Form { get; } = form;

    /// <summary>The body's type when sent as application/json instead; null when only the form is taken.</summary>
    public Type? Json { get; } = json;
}

/// <summary>
/// For the OpenAPI document only: a path parameter read as a string whose values are the names of an enum (the
/// endpoint reads it itself, to answer an unknown word with the list of the known ones).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class PathValuesAttribute(string parameter, Type values) : Attribute
{
    public string Parameter { get; } = parameter;

    public Type Values { get; } = values;
}

/// <summary>
/// For the OpenAPI document only: the endpoint answers 200 with a file — of the given media types, or (none given) a
/// stored file (evidence, an attachment) in one of the accepted file types, which the document names.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileAnswerAttribute(params string[] mediaTypes) : Attribute
{
    /// <summary>The media types named; empty for a stored file of any accepted type.</summary>
    public IReadOnlyList<string> MediaTypes { get; } = mediaTypes;
}

/// <summary>What every feature's API shares: the /api/v1 group (with the one translation of refusals), token-only writes, and the answer to a write.</summary>
public static class Api
{
    /// <summary>
    /// The /api/v1 group a feature maps its endpoints on; a refusal anywhere in it is answered by <see cref="Refusals"/>.
    /// Every error is problem+json (docs/adr/0007); the ones any endpoint may answer are declared here, once.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").AddEndpointFilter<RefusalEndpointFilter>();
        group.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        return group;
    }

    /// <summary>
    /// Writes take a personal token only (never a browser cookie), so that no page can be made to post to them (no CSRF).
    /// </summary>
    public static TBuilder RequireToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(p => p.AddAuthenticationSchemes(ApiTokenService.Scheme).RequireAuthenticatedUser());

    /// <summary>201 with where to read it for something made, 200 for a step taken, 404 when there was nothing to act on.</summary>
    public static IResult Answer(WorkflowResult result, string? created)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Found)
        {
            return TypedResults.NotFound();
        }

        var body = new WriteResult(result.Message ?? string.Empty, result.Id);
        return created is null ? TypedResults.Ok(body) : TypedResults.Created(created, body);
    }

    /// <summary>
    /// A two-way decision posted as a word: <paramref name="yes"/> or <paramref name="no"/> (in any case), read by
    /// <see cref="Decision.Read"/> and handed to the step as true, false or null. The step refuses null (400, saying
    /// which words) only after it has found the object and checked the caller may decide on it, so that a 404 and a 403
    /// come first, as on the pages.
    /// </summary>
    public static async Task<IResult> DecideAsync(string? decision, string yes, string no, Func<bool?, Task<WorkflowResult>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Answer(await step(Decision.Read(decision, yes, no)), created: null);
    }

    /// <summary>A 400 with the words that say what was expected (for a request the API cannot even read).</summary>
    public static IResult BadRequest(string message) => TypedResults.Problem(title: message, detail: message, statusCode: StatusCodes.Status400BadRequest);
}

/// <summary>
/// A person's browser following a link into the API (the ledger page's 导出台账 is one): a GET that accepts HTML and
/// carries no token. An error with no body of its own is then answered by the error page, not a problem document the
/// person cannot read; programs (a token, or no <c>text/html</c> in Accept) always get the problem.
/// </summary>
public static class PageNavigation
{
    public static bool Is(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method) || request.Headers.Authorization.Count > 0)
        {
            return false;
        }

        foreach (var accept in request.Headers.Accept)
        {
            if (accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }
        }

        return false;
    }
}
