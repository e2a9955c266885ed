using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReportingCadence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastReportAtUtc",
                table: "Measures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OngoingSinceUtc",
                table: "Measures",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReportingCadence",
                table: "Inspections",
                type: "integer",
                nullable: true);

            // Measures already under way: 长期坚持 since their last move into it, last report the latest one not returned
            // (MeasureState.Ongoing = 5, ProgressReportState.Returned = 2).
            migrationBuilder.Sql("""
                UPDATE "Measures" SET "OngoingSinceUtc" =
                    (SELECT MAX(t."AtUtc") FROM "MeasureTransitions" t WHERE t."MeasureId" = "Measures"."Id" AND t."ToState" = 5)
                WHERE "State" = 5;
                UPDATE "Measures" SET "LastReportAtUtc" =
                    (SELECT MAX(r."SubmittedAtUtc") FROM "ProgressReports" r WHERE r."MeasureId" = "Measures"."Id" AND r."State" <> 2);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastReportAtUtc",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "OngoingSinceUtc",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "ReportingCadence",
                table: "Inspections");
        }
    }
}
