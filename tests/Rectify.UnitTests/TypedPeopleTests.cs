using Rectify.Domain;

namespace Rectify.UnitTests;

/// <summary>责任领导 as offices type them in a ledger cell: one person typed several ways is one person, and a position is no name.</summary>
public sealed class TypedPeopleTests
{
    [Theory]
    [InlineData("郑晓梅", "郑晓梅", "")]
    [InlineData("郑晓梅（副区长）", "郑晓梅", "副区长")]
    [InlineData("郑晓梅(副区长)", "郑晓梅", "副区长")]
    [InlineData("（副区长）郑晓梅", "郑晓梅", "副区长")]
    [InlineData("副区长 郑晓梅", "郑晓梅", "副区长")]
    [InlineData("副区长\u3000郑晓梅", "郑晓梅", "副区长")]
    [InlineData("区委常委、组织部部长 吴海", "吴海", "区委常委、组织部部长")]
    [InlineData("副区长郑晓梅", "郑晓梅", "副区长")]
    [InlineData("区长助理张三", "张三", "区长助理")]
    [InlineData("区委副书记欧阳明华", "欧阳明华", "区委副书记")]
    [InlineData("张\u3000三", "张三", "")] // a name spaced out to line up in a table
    [InlineData("李 明华", "李明华", "")]
    [InlineData("区长 张三", "张三", "区长")]
    [InlineData("阿依古丽·买买提", "阿依古丽·买买提", "")]
    [InlineData("副县长 阿依古丽·买买提", "阿依古丽·买买提", "副县长")]
    [InlineData("欧阳 振华", "欧阳振华", "")]
    [InlineData("区委常委、副区长 马 力", "马力", "区委常委、副区长")]
    [InlineData("吴海 区委常委、组织部部长", "吴海", "区委常委、组织部部长")]
    [InlineData("副区长：郑晓梅", "郑晓梅", "副区长")]
    [InlineData("John Smith", "John Smith", "")]
    [InlineData("区委常委 组织部部长", "区委常委 组织部部长", "")]
    [InlineData("李书记", "李书记", "")] // names someone: not split into a position and nothing
    [InlineData("组织部部长", "组织部部长", "")] // a position alone stays what was typed (the import says so)
    public void A_person_is_read_as_a_name_and_a_position(string typed, string name, string position) =>
        Assert.Equal((name, position), TypedPeople.Read(typed));

    [Theory]
    [InlineData("郑晓梅", new[] { "郑晓梅" })]
    [InlineData("郑晓梅、周建国", new[] { "郑晓梅", "周建国" })]
    [InlineData("郑晓梅，周建国；郑晓梅", new[] { "郑晓梅", "周建国" })]
    [InlineData("区委常委、组织部部长 吴海", new[] { "区委常委、组织部部长 吴海" })]
    [InlineData("区委常委、组织部部长吴海、副区长 郑晓梅", new[] { "区委常委、组织部部长吴海", "副区长 郑晓梅" })]
    [InlineData("吴海（区委常委、组织部部长）、郑晓梅", new[] { "吴海（区委常委、组织部部长）", "郑晓梅" })]
    [InlineData("区委常委、吴海", new[] { "区委常委 吴海" })]
    [InlineData("分管副区长", new[] { "分管副区长" })]
    [InlineData("区委常委、组织部部长", new[] { "区委常委、组织部部长" })]
    [InlineData("吴海 区委常委、组织部部长", new[] { "吴海 区委常委、组织部部长" })]
    [InlineData("吴海 区委常委、组织部部长、郑晓梅", new[] { "吴海 区委常委、组织部部长", "郑晓梅" })]
    [InlineData("", new string[0])]
    public void Several_people_in_one_cell_are_told_apart_from_the_positions_of_one(string typed, string[] people) =>
        Assert.Equal(people, TypedPeople.Split(typed));

    [Fact]
    public void Each_way_of_typing_one_person_names_the_same_person()
    {
        var ways = new[] { "郑晓梅", "郑晓梅（副区长）", "副区长 郑晓梅", "副区长郑晓梅", "（副区长）郑晓梅" };
        Assert.Single(ways.Select(w => TypedPeople.Read(TypedPeople.Split(w)[0]).Name).Distinct());
        Assert.Equal("吴海", TypedPeople.Read(TypedPeople.Split("区委常委、组织部部长 吴海")[0]).Name);
    }

    [Theory]
    [InlineData("区委常委", true)]
    [InlineData("分管副区长", true)]
    [InlineData("区委常委 组织部部长", true)]
    [InlineData("李书记", false)]
    [InlineData("副区长郑晓梅", false)]
    [InlineData("郑晓梅", false)]
    public void A_position_alone_is_known(string typed, bool positionOnly) =>
        Assert.Equal(positionOnly, TypedPeople.IsPositionOnly(typed));
}
