using Rectify.Features.Publications;

namespace Rectify.UnitTests;

/// <summary>A notice draft's refusal names the field at fault: what is missing, what is too long, a contact a reader cannot use.</summary>
public sealed class NoticeDraftRulesTests
{
    private static PublicationDraft Draft(string title = "关于巡察整改进展情况的通报", string? phone = null, string? email = null, string? postcode = null, string issuer = "中共万江街道工作委员会", DateOnly? date = null) =>
        new(title, "根据巡察工作有关要求，现将整改进展情况予以公布。", "一、主体责任", [], "二、任务", new StatisticsChoice(), null, "三、下一步", [], "欢迎监督。",
            null, null, phone, email, null, postcode, issuer, date ?? new DateOnly(2026, 12, 1));

    private static string? Refusal(PublicationDraft draft)
    {
        var rule = new PublicationService.ADraftIsComplete(draft);
        return rule.IsBroken() ? rule.Message : null;
    }

    [Theory]
    [InlineData("22282228", "wjjddzzhb@dg.gov.cn", "523000")]
    [InlineData("0769-22282228（工作日 9:00—17:00）", "jubao@example.gov.cn", null)]
    [InlineData("（0769）22282228、22282229", null, null)]
    [InlineData("12388", null, null)]
    [InlineData("+86 769 2228 2228", null, null)]
    [InlineData(null, null, null)]
    public void Contacts_a_notice_really_gives_are_taken(string? phone, string? email, string? postcode) =>
        Assert.Null(Refusal(Draft(phone: phone, email: email, postcode: postcode)));

    [Theory]
    [InlineData("abc", null, null, "联系电话“abc”")]
    [InlineData("电话见官网 12345678", null, null, "联系电话“电话见官网 12345678”")]
    [InlineData("110", null, null, "联系电话“110”")]
    [InlineData(null, "not-an-email", null, "电子邮箱“not-an-email”")]
    [InlineData(null, "a@b", null, "电子邮箱“a@b”")]
    [InlineData(null, null, "52300", "邮政编码“52300”应为 6 位数字")]
    public void A_contact_a_reader_cannot_use_is_named(string? phone, string? email, string? postcode, string said) =>
        Assert.Contains(said, Refusal(Draft(phone: phone, email: email, postcode: postcode)), StringComparison.Ordinal);

    [Fact]
    public void What_is_missing_or_too_long_is_named_alone()
    {
        Assert.Equal("请填写公布稿的标题、发文机关。", Refusal(Draft(title: " ", issuer: "")));
        Assert.Equal("联系电话不超过 200 字（现为 600 字）。", Refusal(Draft(phone: new string('1', 600))));
        Assert.Equal("标题不超过 200 字（现为 201 字）。", Refusal(Draft(title: new string('题', 201))));
    }

    [Fact]
    public void Every_field_at_fault_is_named_in_one_refusal()
    {
        var said = Refusal(Draft(issuer: "", phone: "abc", email: "not-an-email", postcode: "52300"));
        Assert.Equal(
            "请填写公布稿的发文机关。电子邮箱“not-an-email”不是有效的邮箱地址（如 jubao@example.gov.cn）。"
            + "联系电话“abc”不是有效的电话号码（应以号码或区号开头，如 0769-22221234、12388）。邮政编码“52300”应为 6 位数字。",
            said);
    }

    [Fact]
    public void A_contact_too_long_is_named_once()
    {
        var said = Refusal(Draft(title: new string('题', 201), email: new string('a', 201)));
        Assert.Equal("标题不超过 200 字（现为 201 字）。电子邮箱不超过 200 字（现为 201 字）。", said);
    }
}
