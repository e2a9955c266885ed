using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Data;

namespace Rectify.CompiledModel;

/// <summary>
/// The data model written out as code (<c>dotnet ef dbcontext optimize</c>, docs/adr/0037), one per provider, so that a
/// server does not build it from the entity configurations when it starts. The generated model carries the encrypted
/// columns' keyless converters; each cipher gets an instance of its own with the converters that hold it
/// (<see cref="SensitiveColumns"/>), made once and kept while the cipher lives. A module of its own: the
/// generated code names every entity, the features' included, and the data module names none of them (the host hands
/// <see cref="For"/> to <see cref="DatabaseProvider.AddRectifyDatabase"/>). <c>CompiledModelTests</c> (unit tests)
/// fails when the generated code no longer matches the entity configurations: run <c>tools/compiled-model.sh</c>.
/// </summary>
public static class CompiledModels
{
    // Kept as long as the cipher is (a server's, for its life): the tests start hundreds of servers in one process, each
    // with a key of its own, and a model is a few MB.
#if !WITHOUT_COMPILED_MODEL
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ColumnCipher, IModel> ForSqlite = [];
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ColumnCipher, IModel> ForPostgres = [];
#endif

    /// <summary>The compiled model for <paramref name="contextType"/> with <paramref name="cipher"/> on the encrypted columns; null for a context type that has none.</summary>
    public static IModel? For(Type contextType, ColumnCipher cipher)
    {
        ArgumentNullException.ThrowIfNull(contextType);
        ArgumentNullException.ThrowIfNull(cipher);
#if WITHOUT_COMPILED_MODEL
        // tools/compiled-model.sh's build, which writes the generated code again: every model is built from the configurations.
        return null;
#else
        if (contextType == typeof(SqliteRectifyDbContext))
        {
            return ForSqlite.GetValue(cipher, Sqlite.SqliteRectifyDbContextModel.WithCipher);
        }

        return contextType == typeof(PostgresRectifyDbContext) ? ForPostgres.GetValue(cipher, Postgres.PostgresRectifyDbContextModel.WithCipher) : null;
#endif
    }

    /// <summary>
    /// Puts <paramref name="cipher"/>'s converters on the encrypted columns of a compiled model just initialized, and
    /// finalizes it. Both calls are the ones the generated code makes (for the keyless converter, and in its static
    /// constructor); EF marks them internal, and generated code is exempt from the warning.
    /// </summary>
    internal static IModel Finish(RuntimeModel model, ColumnCipher cipher)
    {
#pragma warning disable EF1001
        foreach (var column in SensitiveColumns.All)
        {
            var property = (RuntimeProperty?)((IModel)model).FindEntityType(column.Entity)?.FindProperty(column.Property)
                ?? throw new InvalidOperationException($"编译的数据模型中没有加密字段 {column.AssociatedData}：请重新生成编译模型。");
            property.SetValueConverter(new EncryptedColumnConverter(cipher, column.AssociatedData));
        }

        return model.FinalizeModel();
#pragma warning restore EF1001
    }

    /// <summary>Runs a generated model's initialization on a thread with a large stack, as its static constructor does (EF issue 31751).</summary>
    internal static void OnLargeStack(Action initialize)
    {
        Exception? failed = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    initialize();
                }
#pragma warning disable CA1031 // carried to the caller's thread and thrown there
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failed = e;
                }
            },
            10 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (failed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed);
        }
    }
}
