using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EarlierUnitResponses",
                table: "PublicOpinions",
                type: "TEXT",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicSummary",
                table: "PublicOpinions",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "UnitRespondedAtUtc",
                table: "PublicOpinions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitRespondedByName",
                table: "PublicOpinions",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UnitResponse",
                table: "PublicOpinions",
                type: "TEXT",
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
