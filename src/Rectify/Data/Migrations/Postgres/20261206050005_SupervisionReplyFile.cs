using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupervisionReplyFile : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReplyFileId",
                table: "SupervisionNotices",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplyFileName",
                table: "SupervisionNotices",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupervisionNotices_ReplyFileId",
                table: "SupervisionNotices",
                column: "ReplyFileId");

            migrationBuilder.AddForeignKey(
                name: "FK_SupervisionNotices_EvidenceFiles_ReplyFileId",
                table: "SupervisionNotices",
                column: "ReplyFileId",
                principalTable: "EvidenceFiles",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SupervisionNotices_EvidenceFiles_ReplyFileId",
                table: "SupervisionNotices");

            migrationBuilder.DropIndex(
                name: "IX_SupervisionNotices_ReplyFileId",
                table: "SupervisionNotices");

            migrationBuilder.DropColumn(
                name: "ReplyFileId",
                table: "SupervisionNotices");

            migrationBuilder.DropColumn(
                name: "ReplyFileName",
                table: "SupervisionNotices");
        }
    }
}
