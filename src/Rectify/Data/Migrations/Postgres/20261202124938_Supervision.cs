using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Supervision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ExtensionCount",
                table: "Measures",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "OriginalDeadline",
                table: "Measures",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ImmediateWorkingDays",
                table: "Inspections",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TimeBoundMonths",
                table: "Inspections",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CalendarDays",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    IsOffDay = table.Column<bool>(type: "boolean", nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ImportedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarDays", x => x.Date);
                });

            migrationBuilder.CreateTable(
                name: "DeadlineExtensions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MeasureId = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    CurrentDeadline = table.Column<DateOnly>(type: "date", nullable: true),
                    RequestedDeadline = table.Column<DateOnly>(type: "date", nullable: false),
                    Reason = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    EvidenceFileId = table.Column<int>(type: "integer", nullable: true),
                    AttachmentName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    RequestedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    RequestedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    ReviewedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    ReviewedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ReviewedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReviewNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    DecidedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    DecidedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecisionNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeadlineExtensions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeadlineExtensions_EvidenceFiles_EvidenceFileId",
                        column: x => x.EvidenceFileId,
                        principalTable: "EvidenceFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DeadlineExtensions_Measures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "Measures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SupervisionNotices",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    InspectionId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    UnitId = table.Column<int>(type: "integer", nullable: false),
                    DocumentNumber = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    Year = table.Column<int>(type: "integer", nullable: true),
                    Sequence = table.Column<int>(type: "integer", nullable: true),
                    IssuerId = table.Column<int>(type: "integer", nullable: true),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Content = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    Requirement = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ReplyDue = table.Column<DateOnly>(type: "date", nullable: true),
                    HeldOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ByWhom = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    People = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    LeadId = table.Column<int>(type: "integer", nullable: true),
                    OutcomeEntryId = table.Column<int>(type: "integer", nullable: true),
                    State = table.Column<int>(type: "integer", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reply = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: true),
                    RepliedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RepliedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CloseNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ClosedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ClosedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupervisionNotices_Inspections_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SupervisionNotices_Leads_LeadId",
                        column: x => x.LeadId,
                        principalTable: "Leads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisionNotices_Organizations_IssuerId",
                        column: x => x.IssuerId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisionNotices_Organizations_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupervisionNotices_Outcomes_OutcomeEntryId",
                        column: x => x.OutcomeEntryId,
                        principalTable: "Outcomes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SupervisionNoticeMeasures",
                columns: table => new
                {
                    NoticeId = table.Column<int>(type: "integer", nullable: false),
                    MeasureId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionNoticeMeasures", x => new { x.NoticeId, x.MeasureId });
                    table.ForeignKey(
                        name: "FK_SupervisionNoticeMeasures_Measures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "Measures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SupervisionNoticeMeasures_SupervisionNotices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "SupervisionNotices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CalendarDays_Year",
                table: "CalendarDays",
                column: "Year");

            migrationBuilder.CreateIndex(
                name: "IX_DeadlineExtensions_EvidenceFileId",
                table: "DeadlineExtensions",
                column: "EvidenceFileId");

            migrationBuilder.CreateIndex(
                name: "IX_DeadlineExtensions_MeasureId_Number",
                table: "DeadlineExtensions",
                columns: new[] { "MeasureId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeadlineExtensions_State",
                table: "DeadlineExtensions",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNoticeMeasures_MeasureId",
                table: "SupervisionNoticeMeasures",
                column: "MeasureId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_InspectionId_Kind_State",
                table: "SupervisionNotices",
                columns: new[] { "InspectionId", "Kind", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_IssuerId_Year_Sequence",
                table: "SupervisionNotices",
                columns: new[] { "IssuerId", "Year", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_LeadId",
                table: "SupervisionNotices",
                column: "LeadId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_OutcomeEntryId",
                table: "SupervisionNotices",
                column: "OutcomeEntryId");

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_UnitId",
                table: "SupervisionNotices",
                column: "UnitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarDays");

            migrationBuilder.DropTable(
                name: "DeadlineExtensions");

            migrationBuilder.DropTable(
                name: "SupervisionNoticeMeasures");

            migrationBuilder.DropTable(
                name: "SupervisionNotices");

            migrationBuilder.DropColumn(
                name: "ExtensionCount",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "OriginalDeadline",
                table: "Measures");

            migrationBuilder.DropColumn(
                name: "ImmediateWorkingDays",
                table: "Inspections");

            migrationBuilder.DropColumn(
                name: "TimeBoundMonths",
                table: "Inspections");
        }
    }
}
