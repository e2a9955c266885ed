using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Rectify.Domain;

namespace Rectify.Features.LookBacks;

internal sealed class LookBackConfiguration : IEntityTypeConfiguration<LookBack>
{
    public void Configure(EntityTypeBuilder<LookBack> l)
    {
        l.Property(x => x.ScheduledByName).HasMaxLength(200).IsRequired();
        l.Property(x => x.ReviewedByName).HasMaxLength(200);

        // The column keeps its first name; the property says what it holds.
        l.Property(x => x.Observation).HasMaxLength(4000).HasColumnName("Finding");
        l.HasOne<Measure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
        l.HasIndex(x => new { x.MeasureId, x.Result });

        // At most one open look-back per measure, held by the database: two offices scheduling at once cannot both win.
        l.HasIndex(x => x.MeasureId).IsUnique().HasFilter("\"Result\" IS NULL").HasDatabaseName("IX_LookBacks_OneOpenPerMeasure");
        l.HasIndex(x => new { x.Result, x.DueDate });
    }
}
