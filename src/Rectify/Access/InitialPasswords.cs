using System.Security.Cryptography;

namespace Rectify.Access;

/// <summary>Random passwords that meet the policy, for initial passwords and the demo.</summary>
public static class InitialPasswords
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Three groups of four random characters and a tail that guarantees every character class: about 70 bits.</summary>
    public static string New()
    {
        var chars = new char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}-Rx{RandomNumberGenerator.GetInt32(10, 99)}";
    }
}
