using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Rectify.CompiledModel;
using Rectify.Data;

namespace Rectify.UnitTests;

/// <summary>
/// The compiled data model (ADR 0037) is the model the entity configurations build, on both databases, with the
/// server's cipher on the encrypted columns. When this fails, the model changed and the compiled one was not written
/// again: run <c>tools/compiled-model.sh</c>.
/// </summary>
public sealed class CompiledModelTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "rectify-compiled-model-tests", Guid.NewGuid().ToString("N"));

    public CompiledModelTests() => Directory.CreateDirectory(data);

    public void Dispose() => Directory.Delete(data, recursive: true);

    private ColumnCipher NewCipher() => new(new ColumnKey(
        new ConfigurationBuilder().AddInMemoryCollection([new(ColumnKey.KeySetting, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))]).Build(),
        data));

    private static RectifyDbContext Context(DatabaseProviderKind kind, ColumnCipher cipher, bool compiled)
    {
        if (kind == DatabaseProviderKind.Sqlite)
        {
            var sqlite = new DbContextOptionsBuilder<SqliteRectifyDbContext>();
            DatabaseProvider.ConfigureSqlite(sqlite, "Data Source=:memory:").UseColumnEncryption(cipher, compiled ? CompiledModels.For : null);
            return new SqliteRectifyDbContext(sqlite.Options);
        }

        var postgres = new DbContextOptionsBuilder<PostgresRectifyDbContext>();
        DatabaseProvider.ConfigurePostgres(postgres, "Host=localhost;Database=rectify_model_check").UseColumnEncryption(cipher, compiled ? CompiledModels.For : null);
        return new PostgresRectifyDbContext(postgres.Options);
    }

    [Theory]
    [InlineData(DatabaseProviderKind.Sqlite)]
    [InlineData(DatabaseProviderKind.Postgres)]
    public void The_compiled_model_is_the_one_the_entity_configurations_build(DatabaseProviderKind kind)
    {
        var cipher = NewCipher();
        using var compiled = Context(kind, cipher, compiled: true);
        using var built = Context(kind, cipher, compiled: false);
        Assert.Same(CompiledModels.For(compiled.GetType(), cipher), compiled.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.Model);
        Assert.Null(built.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.Model); // built, not found by EF
        Assert.DoesNotContain("ContextModel", built.Model.GetType().Name, StringComparison.Ordinal);

        // Entities, properties with their types, lengths and converters, keys, indexes, relationships; then tables and columns.
        AssertSameLines(built.Model.ToDebugString(MetadataDebugStringOptions.LongDefault), compiled.Model.ToDebugString(MetadataDebugStringOptions.LongDefault), kind);
        AssertSameLines(built.Model.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.LongDefault), compiled.Model.GetRelationalModel().ToDebugString(MetadataDebugStringOptions.LongDefault), kind);

        // Each property's value converter and store type: what reads and writes a value.
        foreach (var entity in built.Model.GetEntityTypes())
        {
            var other = compiled.Model.FindEntityType(entity.Name);
            Assert.NotNull(other);
            foreach (var property in entity.GetProperties())
            {
                var same = other.FindProperty(property.Name);
                Assert.NotNull(same);
                Assert.Equal(property.GetRelationalTypeMapping().StoreType, same.GetRelationalTypeMapping().StoreType);
                Assert.Equal(property.GetTypeMapping().Converter?.GetType(), same.GetTypeMapping().Converter?.GetType());
            }
        }
    }

    [Theory]
    [InlineData(DatabaseProviderKind.Sqlite)]
    [InlineData(DatabaseProviderKind.Postgres)]
    public void Each_key_gets_a_compiled_model_whose_encrypted_columns_hold_that_key(DatabaseProviderKind kind)
    {
        var first = NewCipher();
        var second = NewCipher();
        using var a = Context(kind, first, compiled: true);
        using var b = Context(kind, second, compiled: true);
        using var again = Context(kind, first, compiled: true);
        Assert.NotSame(a.Model, b.Model);
        Assert.Same(a.Model, again.Model);

        foreach (var column in SensitiveColumns.All)
        {
            var converter = a.Model.FindEntityType(column.Entity)!.FindProperty(column.Property)!.GetTypeMapping().Converter!;
            var stored = (string)converter.ConvertToProvider("某社区工程款问题")!;
            Assert.StartsWith($"enc:v1:{first.Key.CurrentId}:", stored, StringComparison.Ordinal);
            Assert.Equal("某社区工程款问题", first.Decrypt(stored, column.AssociatedData));
            var other = b.Model.FindEntityType(column.Entity)!.FindProperty(column.Property)!.GetTypeMapping().Converter!;
            Assert.Throws<ColumnDecryptionException>(() => other.ConvertFromProvider(stored));
        }
    }

    // The compiled model also writes out, on a complex type, the table-mapping annotations a built model derives when
    // asked (a complex type's table and schema, and the empty view, function and SQL query names); the relational model,
    // compared in full below, is where tables are checked.
    private static readonly string[] DerivedMappingAnnotations =
        ["Annotations:", "Relational:FunctionName:", "Relational:Schema:", "Relational:SqlQuery:", "Relational:TableName:", "Relational:ViewName:", "Relational:ViewSchema:"];

    private static string[] Described(string text) =>
        text.Split('\n').Where(line => !DerivedMappingAnnotations.Any(a => line.Trim().StartsWith(a, StringComparison.Ordinal))).ToArray();

    private static void AssertSameLines(string expected, string actual, DatabaseProviderKind kind)
    {
        var e = Described(expected);
        var a = Described(actual);
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
        {
            Assert.True(e[i] == a[i], $"{kind}: the compiled model differs from the configurations at line {i + 1}:\n  built:    {e[i].Trim()}\n  compiled: {a[i].Trim()}\nRun tools/compiled-model.sh.");
        }

        Assert.True(e.Length == a.Length, $"{kind}: the compiled model has {a.Length} lines of description, the configurations build {e.Length}. Run tools/compiled-model.sh.");
    }
}
