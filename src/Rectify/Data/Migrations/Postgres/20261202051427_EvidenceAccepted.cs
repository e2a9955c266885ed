using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EvidenceAccepted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "EvidenceAcceptedAtUtc",
                table: "Measures",
                type: "timestamp with time zone",
                nullable: true);

            // A measure that already has an accepted report (since its last reopening) keeps the right to apply for 销号.
            migrationBuilder.Sql("""
                UPDATE "Measures" SET "EvidenceAcceptedAtUtc" = (
                    SELECT MAX(r."ReviewedAtUtc") FROM "ProgressReports" r
                    WHERE r."MeasureId" = "Measures"."Id" AND r."State" = 1
                      AND NOT EXISTS (SELECT 1 FROM "MeasureTransitions" t
                                      WHERE t."MeasureId" = "Measures"."Id" AND t."Action" = 5 AND t."AtUtc" > r."ReviewedAtUtc"))
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "EvidenceAcceptedAtUtc",
                table: "Measures");
        }
    }
}
