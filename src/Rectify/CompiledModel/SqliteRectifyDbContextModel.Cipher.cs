using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Data;

namespace Rectify.CompiledModel.Sqlite;

// Hand-written beside the generated model (the generator never writes this file): a model of its own per column key.
public partial class SqliteRectifyDbContextModel
{
    /// <summary>A new instance of the generated model with <paramref name="cipher"/>'s converters on the encrypted columns.</summary>
    internal static IModel WithCipher(ColumnCipher cipher)
    {
        var model = new SqliteRectifyDbContextModel();
        CompiledModels.OnLargeStack(model.Initialize);
        model.Customize();
        return CompiledModels.Finish(model, cipher);
    }
}
