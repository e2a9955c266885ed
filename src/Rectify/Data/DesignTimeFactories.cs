using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Rectify.Data;

// Used only by `dotnet ef migrations add`, one per provider so that each keeps its own migration set.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteRectifyDbContext>
{
    public SqliteRectifyDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
        DatabaseProvider.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteRectifyDbContext(options.Options);
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRectifyDbContext>
{
    public PostgresRectifyDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresRectifyDbContext>();
        DatabaseProvider.ConfigurePostgres(options, "Host=localhost;Database=rectify_design");
        return new PostgresRectifyDbContext(options.Options);
    }
}
