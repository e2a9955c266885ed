using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RegisterVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChangeReason",
                table: "Outcomes",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RecordedAtUtc",
                table: "Outcomes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedByName",
                table: "Outcomes",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Outcomes",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "Withdrawn",
                table: "Outcomes",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ChangeReason",
                table: "Leads",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RecordedAtUtc",
                table: "Leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedByName",
                table: "Leads",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Leads",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "Withdrawn",
                table: "Leads",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "ChangeReason",
                table: "Institutions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RecordedAtUtc",
                table: "Institutions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecordedByName",
                table: "Institutions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Institutions",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "Withdrawn",
                table: "Institutions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "RegisterRevision",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InstitutionId = table.Column<int>(type: "integer", nullable: true),
                    OutcomeId = table.Column<int>(type: "integer", nullable: true),
                    LeadId = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Values = table.Column<string>(type: "text", nullable: false),
                    RecordedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RecordedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ChangeReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegisterRevision", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RegisterRevision_Institutions_InstitutionId",
                        column: x => x.InstitutionId,
                        principalTable: "Institutions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RegisterRevision_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RegisterRevision_Outcomes_OutcomeId",
                        column: x => x.OutcomeId,
                        principalTable: "Outcomes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RegisterRevision_InstitutionId_Version",
                table: "RegisterRevision",
                columns: new[] { "InstitutionId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RegisterRevision_LeadId_Version",
                table: "RegisterRevision",
                columns: new[] { "LeadId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RegisterRevision_OutcomeId_Version",
                table: "RegisterRevision",
                columns: new[] { "OutcomeId", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RegisterRevision");

            migrationBuilder.DropColumn(
                name: "ChangeReason",
                table: "Outcomes");

            migrationBuilder.DropColumn(
                name: "RecordedAtUtc",
                table: "Outcomes");

            migrationBuilder.DropColumn(
                name: "RecordedByName",
                table: "Outcomes");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Outcomes");

            migrationBuilder.DropColumn(
                name: "Withdrawn",
                table: "Outcomes");

            migrationBuilder.DropColumn(
                name: "ChangeReason",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RecordedAtUtc",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "RecordedByName",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "Withdrawn",
                table: "Leads");

            migrationBuilder.DropColumn(
                name: "ChangeReason",
                table: "Institutions");

            migrationBuilder.DropColumn(
                name: "RecordedAtUtc",
                table: "Institutions");

            migrationBuilder.DropColumn(
                name: "RecordedByName",
                table: "Institutions");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Institutions");

            migrationBuilder.DropColumn(
                name: "Withdrawn",
                table: "Institutions");
        }
    }
}
