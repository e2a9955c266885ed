using Rectify.Access;

namespace Rectify.UnitTests;

public sealed class PasswordListTests
{
    [Theory]
    [InlineData("Password123!")]
    [InlineData("123456")]
    [InlineData("P@ssw0rd2024")]
    [InlineData("2024Qwerty!!")]
    [InlineData("woaini1314")]
    public void Common_and_decorated_common_passwords_are_found(string password) => Assert.True(CommonPasswords.IsCommon(password));

    [Theory]
    [InlineData("Ample-Unusual-Phrase-7")]
    [InlineData("整改落实要件件有着落")]
    public void Uncommon_passwords_pass(string password) => Assert.False(CommonPasswords.IsCommon(password));

    [Fact]
    public void The_shipped_list_is_loaded() => Assert.True(CommonPasswords.Count > 150);

    [Theory]
    [InlineData("中共万江街道工作委员会", "万江")]
    [InlineData("中共东莞市委员会", "东莞")]
    public void An_organizations_name_yields_its_core(string name, string core) => Assert.Contains(core, PolicyPasswordValidator.OrganizationWords(name));
}
