using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <summary>
    /// The content version on PostgreSQL (ContentVersion, ADR 0031): a sequence moved on after each commit that wrote
    /// content, read before an answer is kept. Not in the model (a sequence is no entity); SQLite keeps its version in
    /// AppSettings and has no such migration.
    /// </summary>
    public partial class ContentVersionSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""CREATE SEQUENCE IF NOT EXISTS "ContentVersion";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP SEQUENCE IF EXISTS "ContentVersion";""");
        }
    }
}
