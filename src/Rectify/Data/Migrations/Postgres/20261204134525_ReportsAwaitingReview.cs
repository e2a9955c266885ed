using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReportsAwaitingReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReportsAwaitingReview",
                table: "Measures",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // The mark starts as the reports stand: the number of each measure's reports waiting for review (待审核, state 0).
            migrationBuilder.Sql(
                """
                UPDATE "Measures" SET "ReportsAwaitingReview" =
                    (SELECT count(*) FROM "ProgressReports" AS p WHERE p."MeasureId" = "Measures"."Id" AND p."State" = 0)
                WHERE "Id" IN (SELECT "MeasureId" FROM "ProgressReports" WHERE "State" = 0);
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Measures_ReportsAwaitingReview_Deadline_Id",
                table: "Measures",
                columns: new[] { "Deadline", "Id" },
                filter: "\"ReportsAwaitingReview\" > 0 AND \"WithdrawnAtUtc\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Measures_ReportsAwaitingReview_Deadline_Id",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "ReportsAwaitingReview",
                table: "Measures");
        }
    }
}
