using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RoundStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RoundStatistics",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InspectionId = table.Column<int>(type: "integer", nullable: false),
                    Round = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SourceFile = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Problems = table.Column<int>(type: "integer", nullable: true),
                    Measures = table.Column<int>(type: "integer", nullable: true),
                    Completed = table.Column<int>(type: "integer", nullable: true),
                    InProgress = table.Column<int>(type: "integer", nullable: true),
                    CompletionRate = table.Column<decimal>(type: "numeric(7,2)", precision: 7, scale: 2, nullable: true),
                    AmountYuan = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    PeopleHandled = table.Column<int>(type: "integer", nullable: true),
                    RulesMade = table.Column<int>(type: "integer", nullable: true),
                    UnitsCovered = table.Column<int>(type: "integer", nullable: true),
                    Figures = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    RecordedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    RecordedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RecordedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoundStatistics", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RoundStatistics_Inspections_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RoundStatistics_InspectionId_RecordedAtUtc",
                table: "RoundStatistics",
                columns: new[] { "InspectionId", "RecordedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_RoundStatistics_Round",
                table: "RoundStatistics",
                column: "Round");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RoundStatistics");
        }
    }
}
