using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupportReportWithdrawalAndLedgerStandingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "WithdrawnAtUtc",
                table: "SupportReports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WithdrawnByName",
                table: "SupportReports",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Measures_InspectionId_LedgerStanding",
                table: "Measures",
                columns: new[] { "InspectionId", "LedgerStanding" },
                filter: "\"LedgerStanding\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Measures_InspectionId_LedgerStanding",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "WithdrawnAtUtc",
                table: "SupportReports");

            migrationBuilder.DropColumn(
                name: "WithdrawnByName",
                table: "SupportReports");
        }
    }
}
