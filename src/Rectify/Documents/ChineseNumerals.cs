namespace Rectify.Documents;

/// <summary>一 … 九十九, as the numbering of notices uses them.</summary>
public static class ChineseNumerals
{
    private const string Digits = "〇一二三四五六七八九";

    public static bool TryParse(string text, out int value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var tenAt = text.IndexOf('十', StringComparison.Ordinal);
        if (tenAt < 0)
        {
            if (text.Length != 1)
            {
                return false;
            }

            value = Digits.IndexOf(text[0], StringComparison.Ordinal);
            return value > 0;
        }

        if (text.IndexOf('十', tenAt + 1) >= 0 || text.Length > 3)
        {
            return false;
        }

        var tens = 1;
        if (tenAt == 1)
        {
            tens = Digits.IndexOf(text[0], StringComparison.Ordinal);
            if (tens <= 0)
            {
                return false;
            }
        }
        else if (tenAt != 0)
        {
            return false;
        }

        var units = 0;
        if (tenAt + 1 < text.Length)
        {
            units = Digits.IndexOf(text[tenAt + 1], StringComparison.Ordinal);
            if (units <= 0)
            {
                return false;
            }
        }

        value = (tens * 10) + units;
        return true;
    }

    public static string Format(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 99);
        if (value < 10)
        {
            return Digits[value].ToString();
        }

        var tens = value / 10;
        var units = value % 10;
        return (tens == 1 ? string.Empty : Digits[tens].ToString()) + "十" + (units == 0 ? string.Empty : Digits[units].ToString());
    }
}
