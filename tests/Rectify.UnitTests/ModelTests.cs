using Microsoft.EntityFrameworkCore;
using Rectify.Data;

namespace Rectify.UnitTests;

/// <summary>The data model: no change to it without a migration, on either database.</summary>
public sealed class ModelTests
{
    [Fact]
    public void The_model_on_SQLite_matches_its_migrations()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "SQLite: the model differs from the last migration's snapshot; add a migration");
    }

    [Fact]
    public void The_model_on_PostgreSQL_matches_its_migrations()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "PostgreSQL: the model differs from the last migration's snapshot; add a migration");
    }
}
