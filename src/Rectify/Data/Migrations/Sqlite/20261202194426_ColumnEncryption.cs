using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ColumnEncryption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The 问题线索's texts and the register revisions' values and reasons now hold ciphertext (ADR 0025): the model
            // drops their lengths, which SQLite never enforced (TEXT either way), so nothing changes in the file and no
            // table is rebuilt.
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
