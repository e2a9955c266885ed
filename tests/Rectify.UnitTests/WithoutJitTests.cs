using Npgsql;
using Rectify.Data;

namespace Rectify.UnitTests;

public sealed class WithoutJitTests
{
    [Theory]
    [InlineData("Host=db;Database=rectify;Username=r", "-c jit=off")]
    [InlineData("Host=db;Database=rectify;Options=-c statement_timeout=5000", "-c statement_timeout=5000 -c jit=off")]
    [InlineData("Host=db;Database=rectify;Options=-c jit=on", "-c jit=on")]
    public void Jit_is_turned_off_unless_the_connection_string_says_otherwise(string given, string options)
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseProvider.WithoutJit(given));
        Assert.Equal(options, result.Options);
        Assert.Equal("db", result.Host);
        Assert.Equal("rectify", result.Database);
    }

    [Fact]
    public void A_string_the_driver_cannot_read_is_passed_on_unchanged_for_the_driver_to_refuse()
    {
        const string Broken = "Host=db;Maximum_Pool_Size=4";
        Assert.Equal(Broken, DatabaseProvider.WithoutJit(Broken));
    }
}
