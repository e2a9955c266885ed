using Rectify.Features.Intake;

namespace Rectify.Features.Plans;

/// <summary>The plan's services, the import template download and the import through the API.</summary>
public static class PlansApi
{
    public const string TemplateFileName = "整改台账导入模板.xlsx";

    public static IServiceCollection AddPlans(this IServiceCollection services, string dataFolder)
    {
        services.AddScoped<PlanService>();
        services.AddScoped<IntakeCommitService>();
        return services.AddSingleton(sp => new ImportUploads(Path.Combine(dataFolder, "imports"), sp.GetRequiredService<TimeProvider>()));
    }

    public static void MapPlansApi(this IEndpointRouteBuilder app)
    {
        // The blank ledger with its 填写说明 sheet, for anyone signed in (it holds nothing but column names).
        app.MapGet("/inspections/template.xlsx", () =>
            {
                using var stream = new MemoryStream();
                LedgerTemplate.Write(stream, null, []);
                return Results.File(stream.ToArray(), LedgerTemplate.ContentType, TemplateFileName);
            })
            .ExcludeFromDescription();
    }
}
