using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Features.Publications;

internal sealed class PublicationConfiguration : IEntityTypeConfiguration<Publication>
{
    public void Configure(EntityTypeBuilder<Publication> p)
    {
        p.Property(x => x.PublicKey).HasMaxLength(32).IsRequired();
        p.Property(x => x.Content).IsRequired();
        p.Property(x => x.CorrectionNote).HasMaxLength(500);
        p.Property(x => x.CreatedByName).HasMaxLength(200).IsRequired();
        p.Property(x => x.SubmittedByUserId).HasMaxLength(450);
        p.Property(x => x.ReturnReason).HasMaxLength(2000);
        p.Property(x => x.ApprovedByName).HasMaxLength(200);
        p.Property(x => x.Version).IsConcurrencyToken();
        p.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);

        // One row per version; two offices making the same correction at once cannot both win.
        p.HasIndex(x => new { x.InspectionId, x.Number }).IsUnique();

        // The public page finds a notice by its key.
        p.HasIndex(x => new { x.PublicKey, x.State });
    }
}

internal sealed class PublicOpinionConfiguration : IEntityTypeConfiguration<PublicOpinion>
{
    public void Configure(EntityTypeBuilder<PublicOpinion> o)
    {
        o.Property(x => x.ReceiptCode).HasMaxLength(12).IsRequired();
        o.Property(x => x.Text).HasMaxLength(PublicOpinion.MaxTextLength).IsRequired();
        o.Property(x => x.Contact).HasMaxLength(PublicOpinion.MaxContactLength);
        o.Property(x => x.Reply).HasMaxLength(PublicOpinion.MaxTextLength);
        o.Property(x => x.RepliedByName).HasMaxLength(200);
        o.Property(x => x.ReplyApprovedByName).HasMaxLength(200);
        o.Property(x => x.PublicSummary).HasMaxLength(PublicOpinion.MaxSummaryLength);
        o.Property(x => x.UnitResponse).HasMaxLength(PublicOpinion.MaxTextLength);
        o.Property(x => x.UnitRespondedByName).HasMaxLength(200);
        o.Property(x => x.EarlierUnitResponses).HasMaxLength(PublicOpinion.MaxEarlierResponsesLength);
        o.Property(x => x.Version).IsConcurrencyToken();
        o.HasOne<Inspection>().WithMany().HasForeignKey(x => x.InspectionId).OnDelete(DeleteBehavior.Cascade);
        o.HasOne<Publication>().WithMany().HasForeignKey(x => x.PublicationId).OnDelete(DeleteBehavior.Restrict);
        o.HasOne<Finding>().WithMany().HasForeignKey(x => x.AssignedFindingId).OnDelete(DeleteBehavior.SetNull);
        // A unit an opinion is handed to is not deleted under it (a delete racing a 交办 is refused, 409, not left unassigned).
        o.HasOne<Organization>().WithMany().HasForeignKey(x => x.AssignedUnitId).OnDelete(DeleteBehavior.Restrict);
        o.HasIndex(x => x.ReceiptCode).IsUnique();
        o.Property(x => x.FormStamp).HasMaxLength(24);
        o.Property(x => x.AboutFindingTitle).HasMaxLength(PublicOpinion.MaxAboutTitleLength);

        // A form sends one opinion, whichever server process takes it (several may serve one database).
        o.HasIndex(x => x.FormStamp).IsUnique();

        // The inbox by state and the daily cap by day.
        o.HasIndex(x => new { x.InspectionId, x.State });
        o.HasIndex(x => new { x.InspectionId, x.ReceivedAtUtc });
    }
}

public static class PublicationsSetup
{
    /// <summary>The notice's services, the public form's options and its per-address limit.</summary>
    public static IServiceCollection AddPublications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PublicOpinionOptions>(configuration.GetSection(PublicOpinionOptions.Section));
        services.AddScoped<PublicationService>();
        services.AddScoped<OpinionService>();
        services.AddScoped<OpinionIntake>();
        services.AddSingleton<PublicOpinionRateLimit>();
        return services;
    }
}
