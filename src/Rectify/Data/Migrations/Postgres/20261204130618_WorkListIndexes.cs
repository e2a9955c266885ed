using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Measures_Ongoing_Deadline_Id",
                table: "Measures",
                columns: new[] { "Deadline", "Id" },
                filter: "\"State\" = 5 AND \"WithdrawnAtUtc\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Measures_Standing_Deadline_Id",
                table: "Measures",
                columns: new[] { "Deadline", "Id" },
                filter: "\"WithdrawnAtUtc\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Measures_Ongoing_Deadline_Id",
                table: "Measures");

            migrationBuilder.DropIndex(
                name: "IX_Measures_Standing_Deadline_Id",
                table: "Measures");
        }
    }
}
