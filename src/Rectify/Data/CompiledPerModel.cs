using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Rectify.Data;

/// <summary>
/// A statement compiled once per EF model (<c>EF.CompileAsyncQuery</c>): EF binds a compiled query to the first model it
/// runs with and refuses any other, and a process may hold several (SQLite and PostgreSQL, and in the tests one model
/// per database, since the column cipher is part of the model). A server has one, and compiles once.
/// </summary>
public sealed class CompiledPerModel<T>(Func<T> compile)
    where T : class
{
    private readonly ConditionalWeakTable<IModel, T> compiled = [];

    /// <summary>The statement compiled for <paramref name="db"/>'s model.</summary>
    public T For(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return compiled.GetValue(db.Model, _ => compile());
    }
}
