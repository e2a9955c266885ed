using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReviewQueueCoversMeasure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ProgressReports_State_SubmittedAtUtc",
                table: "ProgressReports");

            migrationBuilder.CreateIndex(
                name: "IX_ProgressReports_State_SubmittedAtUtc_MeasureId",
                table: "ProgressReports",
                columns: new[] { "State", "SubmittedAtUtc", "MeasureId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ProgressReports_State_SubmittedAtUtc_MeasureId",
                table: "ProgressReports");

            migrationBuilder.CreateIndex(
                name: "IX_ProgressReports_State_SubmittedAtUtc",
                table: "ProgressReports",
                columns: new[] { "State", "SubmittedAtUtc" });
        }
    }
}
