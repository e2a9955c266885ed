using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Rectify.Data;

namespace Rectify.Access;

/// <summary>
/// Time-based one-time codes (RFC 6238: 30-second steps, 6 digits, one step of drift either way) with HMAC-SHA1, as
/// authenticator apps compute them, or HMAC-SM3 for 密评 (Security:SecondFactor:Algorithm = SM3). Unlike Identity's
/// own provider, a code is good once: the last accepted time step is kept per user, and a code of that step or an
/// earlier one is refused — the same code cannot be replayed inside its 30 seconds.
/// </summary>
public sealed class OneTimeCodeProvider(TimeProvider clock, IOptions<SecurityPolicyOptions> policy) : IUserTwoFactorTokenProvider<RectifyUser>
{
    public const string HmacSha1 = "SHA1";
    public const string HmacSm3 = "SM3";
    private const int StepSeconds = 30;

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<RectifyUser> manager, RectifyUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>The code comes from the user's device, never from the server.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<RectifyUser> manager, RectifyUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<RectifyUser> manager, RectifyUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token is not { Length: 6 } || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var secret = Base32(key);
        var now = clock.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        var algorithm = policy.Value.SecondFactor.Algorithm;
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (user.LastOneTimeCodeStep is { } last && step <= last)
            {
                // Used already (or older than one that was): a replay.
                continue;
            }

            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step, algorithm)), Encoding.ASCII.GetBytes(token)))
            {
                // Kept with the user's concurrency stamp: two requests racing with one code cannot both win.
                user.LastOneTimeCodeStep = step;
                return (await manager.UpdateAsync(user)).Succeeded;
            }
        }

        return false;
    }

    /// <summary>The 6-digit code of a time step: HMAC over the big-endian step, dynamic truncation (RFC 4226 §5.3).</summary>
    public static string Code(byte[] secret, long step, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        byte[] hash;
        if (string.Equals(algorithm, HmacSm3, StringComparison.OrdinalIgnoreCase))
        {
            var hmac = new HMac(new SM3Digest());
            hmac.Init(new KeyParameter(secret));
            hmac.BlockUpdate(counter, 0, counter.Length);
            hash = new byte[hmac.GetMacSize()];
            hmac.DoFinal(hash, 0);
        }
        else
        {
#pragma warning disable CA5350 // RFC 6238 authenticator apps compute HMAC-SHA1; SM3 is the option for 密评.
            hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        }

        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    public static byte[] Base32(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant())
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                continue;
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
