using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Data;

namespace Rectify.CompiledModel.Postgres;

// Hand-written beside the generated model (the generator never writes this file): a model of its own per column key.
public partial class PostgresRectifyDbContextModel
{
    /// <summary>A new instance of the generated model with <paramref name="cipher"/>'s converters on the encrypted columns.</summary>
    internal static IModel WithCipher(ColumnCipher cipher)
    {
        var model = new PostgresRectifyDbContextModel();
        CompiledModels.OnLargeStack(model.Initialize);
        model.Customize();
        CompiledModels.PutCipher(model, cipher);
        // What the generated static constructor calls (EF marks it internal; the generated code is exempt from the warning).
#pragma warning disable EF1001
        return model.FinalizeModel();
#pragma warning restore EF1001
    }
}
