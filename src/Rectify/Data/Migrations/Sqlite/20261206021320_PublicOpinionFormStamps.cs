using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublicOpinionFormStamps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FormStamp",
                table: "PublicOpinions",
                type: "TEXT",
                maxLength: 24,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_PublicOpinions_FormStamp",
                table: "PublicOpinions",
                column: "FormStamp",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PublicOpinions_FormStamp",
                table: "PublicOpinions");

            migrationBuilder.DropColumn(
                name: "FormStamp",
                table: "PublicOpinions");
        }
    }
}
