using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublicNotice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PublicProgress",
                table: "Measures",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Publications",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InspectionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    PublicKey = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    Snapshot = table.Column<string>(type: "TEXT", nullable: true),
                    DisclosureFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DisclosureTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CorrectionNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SubmittedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    SubmittedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReturnReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ApprovedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ApprovedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SupersededAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Publications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Publications_Inspections_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PublicOpinions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InspectionId = table.Column<int>(type: "INTEGER", nullable: false),
                    PublicationId = table.Column<int>(type: "INTEGER", nullable: false),
                    ReceiptCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AboutFindingNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    AssignedFindingId = table.Column<int>(type: "INTEGER", nullable: true),
                    AssignedUnitId = table.Column<int>(type: "INTEGER", nullable: true),
                    Reply = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RepliedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RepliedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ReplyIsPublishable = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReplyApprovedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClosedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublicOpinions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PublicOpinions_Findings_AssignedFindingId",
                        column: x => x.AssignedFindingId,
                        principalTable: "Findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_PublicOpinions_Inspections_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PublicOpinions_Organizations_AssignedUnitId",
                        column: x => x.AssignedUnitId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_PublicOpinions_Publications_PublicationId",
                        column: x => x.PublicationId,
                        principalTable: "Publications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Publications_InspectionId_Number",
                table: "Publications",
                columns: new[] { "InspectionId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Publications_PublicKey_State",
                table: "Publications",
                columns: new[] { "PublicKey", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_PublicOpinions_AssignedFindingId",
                table: "PublicOpinions",
                column: "AssignedFindingId");

            migrationBuilder.CreateIndex(
                name: "IX_PublicOpinions_AssignedUnitId",
                table: "PublicOpinions",
                column: "AssignedUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_PublicOpinions_InspectionId_ReceivedAtUtc",
                table: "PublicOpinions",
                columns: new[] { "InspectionId", "ReceivedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PublicOpinions_InspectionId_State",
                table: "PublicOpinions",
                columns: new[] { "InspectionId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_PublicOpinions_PublicationId",
                table: "PublicOpinions",
                column: "PublicationId");

            migrationBuilder.CreateIndex(
                name: "IX_PublicOpinions_ReceiptCode",
                table: "PublicOpinions",
                column: "ReceiptCode",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PublicOpinions");

            migrationBuilder.DropTable(
                name: "Publications");

            migrationBuilder.DropColumn(
                name: "PublicProgress",
                table: "Measures");
        }
    }
}
