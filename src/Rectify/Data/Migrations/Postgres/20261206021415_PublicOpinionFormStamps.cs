using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Postgres
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
                type: "character varying(24)",
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
