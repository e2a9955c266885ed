using Rectify.Data;

namespace Rectify.Features;

public static class Health
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        // Anonymous by design: load balancers and monitors probe it. It says only whether the database answers.
        app.MapGet("/healthz", async (RectifyDbContext db, CancellationToken ct) =>
            {
                bool up;
                try
                {
                    up = await db.Database.CanConnectAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    up = false;
                }

                return up
                    ? Results.Text("ok", "text/plain")
                    : Results.Text("database unreachable", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
    }
}
