using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SignalRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "SignalGreenWhenOnTrack",
                table: "Inspections",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SignalRedWhenUnderDuban",
                table: "Inspections",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "SignalWarnWhenReportReturned",
                table: "Inspections",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "SignalWarnWithinWorkingDays",
                table: "Inspections",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SignalGreenWhenOnTrack",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "SignalRedWhenUnderDuban",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "SignalWarnWhenReportReturned",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "SignalWarnWithinWorkingDays",
                table: "Inspections");
        }
    }
}
