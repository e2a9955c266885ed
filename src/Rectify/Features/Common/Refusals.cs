using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Rectify.Domain;

namespace Rectify.Features.Common;

/// <summary>What a step came to when it was not refused: done (with news for the person and the id of what it made), or nothing there to act on.</summary>
public sealed record WorkflowResult(bool Found, string? Message = null, int? Id = null)
{
    public static readonly WorkflowResult NotFound = new(false);

    public static WorkflowResult Done(string message, int? id = null) => new(true, message, id);
}

/// <summary>
/// The one translation of a refusal. Everything that refuses throws a broken rule (<see cref="BusinessRuleViolationException"/>);
/// the API answers it as problem+json with the status its <see cref="Refusal"/> names, and a page shows its message
/// beside the form it came from with the same status (<see cref="RefusalPageFilter"/>).
/// </summary>
public static class Refusals
{
    public static int StatusCode(Refusal refusal) => refusal switch
    {
        Refusal.Invalid => StatusCodes.Status400BadRequest,
        Refusal.NotPermitted => StatusCodes.Status403Forbidden,
        Refusal.TooLarge => StatusCodes.Status413PayloadTooLarge,
        Refusal.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>The broken rule an exception stands for, or null when it is not a refusal (a real failure).</summary>
    public static BusinessRuleViolationException? Of(Exception exception) => exception switch
    {
        BusinessRuleViolationException refusal => refusal,
        DbUpdateConcurrencyException => BusinessRules.Refuse(new SomeoneElseWasFirst("刚刚已被他人处理，请刷新页面后再操作。")),
        _ => null,
    };

    /// <summary>
    /// Saves, or refuses with <paramref name="lostRace"/> when someone changed the same row first — and, with
    /// <paramref name="uniqueIndexDecides"/>, when a unique index (one open look-back per measure…) was taken a moment ago.
    /// </summary>
    public static async Task SaveOrRefuseAsync(this DbContext db, string lostRace, CancellationToken cancellationToken, bool uniqueIndexDecides = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw BusinessRules.Refuse(new SomeoneElseWasFirst(lostRace));
        }
        catch (DbUpdateException e) when (uniqueIndexDecides && Data.DatabaseProvider.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            throw BusinessRules.Refuse(new SomeoneElseWasFirst(lostRace));
        }
    }

    /// <summary>The API's answer to a refusal: problem+json with the rule's status and message.</summary>
    public static IResult Problem(BusinessRuleViolationException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return TypedResults.Problem(title: refusal.Message, detail: refusal.Message, statusCode: StatusCode(refusal.Refusal), extensions: new Dictionary<string, object?> { ["rule"] = refusal.RuleName });
    }

    /// <summary>Two people acted on the same thing at once; the second is told so.</summary>
    public sealed class SomeoneElseWasFirst(string message) : Refused(message);
}

/// <summary>A page that can show a refusal beside its form: it loads what it shows, keeps what was typed, and answers with the refusal's status.</summary>
public interface IShowsRefusals
{
    Task<IActionResult> ShowRefusalAsync(string message, CancellationToken cancellationToken);
}

/// <summary>Turns a refusal thrown by a page handler into that page, shown again with the message (see <see cref="Refusals"/>).</summary>
public sealed class RefusalPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        // A date that cannot be read is not "no date". The handler still runs, so that it keeps what was typed and marks its
        // form, but nothing it would save is saved, and its refusal (often "fill in the date") names the date instead.
        var badDate = HttpMethods.IsPost(context.HttpContext.Request.Method) && context.HandlerInstance is IShowsRefusals
            ? TypedDateBinderProvider.Unreadable(context.ModelState) : null;
        var db = badDate is null ? null : context.HttpContext.RequestServices.GetRequiredService<Data.RectifyDbContext>();
        PageHandlerExecutedContext executed;
        try
        {
            db?.RefusedWrites = badDate;
            executed = await next();
        }
        finally
        {
            db?.RefusedWrites = null;
        }

        if (badDate is not null && executed.Exception is null && executed.Result is not (PageResult or NotFoundResult or ForbidResult or ChallengeResult or Microsoft.AspNetCore.Mvc.Infrastructure.IStatusCodeActionResult { StatusCode: >= 400 }))
        {
            // The handler answered without saving: the form is still refused. (Not one that answered 404 or 403: who may
            // not act is told so first, whatever they typed.)
            executed.Exception = BusinessRules.Refuse(new Data.RectifyDbContext.NothingIsSavedFromAnUnreadableForm(badDate));
            executed.Result = null;
        }

        if (executed.Exception is null || executed.ExceptionHandled || context.HandlerInstance is not IShowsRefusals page || Refusals.Of(executed.Exception) is not { } refusal)
        {
            return;
        }

        executed.ExceptionHandled = true;
        if (badDate is not null && refusal.Refusal != Refusal.NotPermitted)
        {
            // The date, not what its absence led to ("fill in the date"); a step the caller may not take stays 403.
            refusal = new BusinessRuleViolationException(new Data.RectifyDbContext.NothingIsSavedFromAnUnreadableForm(badDate));
        }

        if (context.HandlerInstance is PageModel model)
        {
            // Nothing half-done from the refused step may be saved by what the page does next.
            model.HttpContext.RequestServices.GetRequiredService<Data.RectifyDbContext>().ChangeTracker.Clear();
        }

        context.HttpContext.Response.StatusCode = Refusals.StatusCode(refusal.Refusal);
        executed.Result = await page.ShowRefusalAsync(refusal.Message, context.HttpContext.RequestAborted);
        if (executed.Result is not PageResult)
        {
            // The page was not there to show (404): its own answer stands.
            context.HttpContext.Response.StatusCode = StatusCodes.Status200OK;
        }
    }
}

/// <summary>The API's translation of a refusal (an endpoint filter on every /api group).</summary>
public sealed class RefusalEndpointFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (Exception e) when (Refusals.Of(e) is not null)
        {
            return Refusals.Problem(Refusals.Of(e)!);
        }
    }
}
