using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PersonAccount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // SQLite adds a column with its foreign key in place (ALTER TABLE … ADD COLUMN … REFERENCES), where EF's
            // AddForeignKey would rebuild the table outside a transaction (PRAGMA foreign_keys): hand-written (ADR 0002).
            migrationBuilder.Sql("ALTER TABLE \"People\" ADD COLUMN \"UserId\" TEXT NULL REFERENCES \"AspNetUsers\" (\"Id\") ON DELETE SET NULL;");

            migrationBuilder.CreateIndex(
                name: "IX_People_UserId",
                table: "People",
                column: "UserId",
                unique: true,
                filter: "\"UserId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_UserId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "UserId",
                table: "People");
        }
    }
}
