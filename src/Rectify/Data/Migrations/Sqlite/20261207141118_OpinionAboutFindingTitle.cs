using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OpinionAboutFindingTitle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AboutFindingTitle",
                table: "PublicOpinions",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AboutFindingTitle",
                table: "PublicOpinions");
        }
    }
}
