using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SupervisionMeasuresAsIssued : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "IssuedDeadline",
                table: "SupervisionNoticeMeasures",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "IssuedFindingNumber",
                table: "SupervisionNoticeMeasures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "IssuedNumber",
                table: "SupervisionNoticeMeasures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IssuedText",
                table: "SupervisionNoticeMeasures",
                type: "TEXT",
                nullable: true);

            // Steps written before: their measures as they stand at the upgrade, kept from now on.
            migrationBuilder.Sql("""
                UPDATE "SupervisionNoticeMeasures" SET
                    "IssuedFindingNumber" = (SELECT f."Number" FROM "Measures" m JOIN "Findings" f ON f."Id" = m."FindingId" WHERE m."Id" = "SupervisionNoticeMeasures"."MeasureId"),
                    "IssuedNumber" = (SELECT m."Number" FROM "Measures" m WHERE m."Id" = "SupervisionNoticeMeasures"."MeasureId"),
                    "IssuedText" = (SELECT m."Text" FROM "Measures" m WHERE m."Id" = "SupervisionNoticeMeasures"."MeasureId"),
                    "IssuedDeadline" = (SELECT m."Deadline" FROM "Measures" m WHERE m."Id" = "SupervisionNoticeMeasures"."MeasureId");
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IssuedDeadline",
                table: "SupervisionNoticeMeasures");

            migrationBuilder.DropColumn(
                name: "IssuedFindingNumber",
                table: "SupervisionNoticeMeasures");

            migrationBuilder.DropColumn(
                name: "IssuedNumber",
                table: "SupervisionNoticeMeasures");

            migrationBuilder.DropColumn(
                name: "IssuedText",
                table: "SupervisionNoticeMeasures");
        }
    }
}
