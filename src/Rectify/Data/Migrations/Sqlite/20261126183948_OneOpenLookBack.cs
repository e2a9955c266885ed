using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OneOpenLookBack : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_LookBacks_OneOpenPerMeasure",
                table: "LookBacks",
                column: "MeasureId",
                unique: true,
                filter: "\"Result\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LookBacks_OneOpenPerMeasure",
                table: "LookBacks");
        }
    }
}
