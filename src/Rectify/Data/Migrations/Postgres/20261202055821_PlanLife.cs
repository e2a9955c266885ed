using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PlanLife : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "PlanAdoptedAtUtc",
                table: "Inspections",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PlanAdoptedByName",
                table: "Inspections",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "PlanMeetingDate",
                table: "Inspections",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PlanMeetingName",
                table: "Inspections",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PlanState",
                table: "Inspections",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "PlanSubmittedByUserId",
                table: "Inspections",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Round",
                table: "Inspections",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MeasureRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MeasureId = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    ActorUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Text = table.Column<string>(type: "text", nullable: false),
                    MeasureKind = table.Column<int>(type: "integer", nullable: false),
                    Deadline = table.Column<DateOnly>(type: "date", nullable: true),
                    ResponsibleLeaderId = table.Column<int>(type: "integer", nullable: true),
                    ResponsibleLeaderName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeadUnitId = table.Column<int>(type: "integer", nullable: true),
                    LeadUnitName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    SupportingUnits = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeasureRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeasureRevisions_Measures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "Measures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MeasureRevisions_Organizations_LeadUnitId",
                        column: x => x.LeadUnitId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MeasureRevisions_People_ResponsibleLeaderId",
                        column: x => x.ResponsibleLeaderId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PlanTransitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InspectionId = table.Column<int>(type: "integer", nullable: false),
                    Action = table.Column<int>(type: "integer", nullable: false),
                    FromState = table.Column<int>(type: "integer", nullable: false),
                    ToState = table.Column<int>(type: "integer", nullable: false),
                    ActorUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ActorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanTransitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanTransitions_Inspections_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MeasureRevisions_LeadUnitId",
                table: "MeasureRevisions",
                column: "LeadUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_MeasureRevisions_MeasureId_AtUtc",
                table: "MeasureRevisions",
                columns: new[] { "MeasureId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MeasureRevisions_MeasureId_Number",
                table: "MeasureRevisions",
                columns: new[] { "MeasureId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeasureRevisions_ResponsibleLeaderId",
                table: "MeasureRevisions",
                column: "ResponsibleLeaderId");

            migrationBuilder.CreateIndex(
                name: "IX_PlanTransitions_InspectionId_AtUtc",
                table: "PlanTransitions",
                columns: new[] { "InspectionId", "AtUtc" });

            // Inspections already in Rectify before the plan had a life are in force: their units already see them.
            // Each of their measures gets a first version, the plan as it stood at the upgrade.
            migrationBuilder.Sql("""UPDATE "Inspections" SET "PlanState" = 2""");
            migrationBuilder.Sql("""
                INSERT INTO "MeasureRevisions" ("MeasureId", "Number", "Kind", "ActorUserId", "ActorName", "AtUtc", "Reason", "Text", "MeasureKind", "Deadline",
                    "ResponsibleLeaderId", "ResponsibleLeaderName", "LeadUnitId", "LeadUnitName", "SupportingUnits")
                SELECT m."Id", 1, 0, '', '系统升级', now(), '升级前已在实施的整改方案', m."Text", m."Kind", m."Deadline",
                    m."ResponsibleLeaderId", p."Name", m."LeadUnitId", o."Name",
                    COALESCE((SELECT string_agg(o2."Name", '、' ORDER BY o2."Name") FROM "MeasureSupportingUnits" s JOIN "Organizations" o2 ON o2."Id" = s."OrganizationId" WHERE s."MeasureId" = m."Id"), '')
                FROM "Measures" m
                LEFT JOIN "People" p ON p."Id" = m."ResponsibleLeaderId"
                LEFT JOIN "Organizations" o ON o."Id" = m."LeadUnitId"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeasureRevisions");

            migrationBuilder.DropTable(
                name: "PlanTransitions");

            migrationBuilder.DropColumn(
                name: "PlanAdoptedAtUtc",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "PlanAdoptedByName",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "PlanMeetingDate",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "PlanMeetingName",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "PlanState",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "PlanSubmittedByUserId",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "Round",
                table: "Inspections");
        }
    }
}
