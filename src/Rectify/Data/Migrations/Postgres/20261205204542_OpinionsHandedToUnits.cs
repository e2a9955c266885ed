using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OpinionsHandedToUnits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AssignedAtUtc",
                table: "PublicOpinions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EarlierUnitResponses",
                table: "PublicOpinions",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicSummary",
                table: "PublicOpinions",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UnitRespondedAtUtc",
                table: "PublicOpinions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitRespondedByName",
                table: "PublicOpinions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitResponse",
                table: "PublicOpinions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AssignedAtUtc",
                table: "PublicOpinions");

            migrationBuilder.DropColumn(
                name: "EarlierUnitResponses",
                table: "PublicOpinions");

            migrationBuilder.DropColumn(
                name: "PublicSummary",
                table: "PublicOpinions");

            migrationBuilder.DropColumn(
                name: "UnitRespondedAtUtc",
                table: "PublicOpinions");

            migrationBuilder.DropColumn(
                name: "UnitRespondedByName",
                table: "PublicOpinions");

            migrationBuilder.DropColumn(
                name: "UnitResponse",
                table: "PublicOpinions");
        }
    }
}
