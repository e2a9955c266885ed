using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OpinionUnitRestrict : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PublicOpinions_Organizations_AssignedUnitId",
                table: "PublicOpinions");

            migrationBuilder.AddForeignKey(
                name: "FK_PublicOpinions_Organizations_AssignedUnitId",
                table: "PublicOpinions",
                column: "AssignedUnitId",
                principalTable: "Organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_PublicOpinions_Organizations_AssignedUnitId",
                table: "PublicOpinions");

            migrationBuilder.AddForeignKey(
                name: "FK_PublicOpinions_Organizations_AssignedUnitId",
                table: "PublicOpinions",
                column: "AssignedUnitId",
                principalTable: "Organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }
    }
}
