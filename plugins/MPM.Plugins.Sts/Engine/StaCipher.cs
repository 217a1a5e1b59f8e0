namespace MPM.Plugins.Sts.Engine;

/// <summary>
/// The STS Standard Transfer Algorithm (EA07) on 64-bit blocks with a 64-bit key; bit 0 is the LSB.
/// Each of the 16 rounds substitutes every nibble through S1 or S2 (chosen by bit 4n+3 of the
/// rotating key register), permutes the 64 bits, and rotates the key register left by one.
/// </summary>
public static class StaCipher
{
    private static readonly byte[] S1 = [14, 10, 7, 9, 12, 3, 2, 5, 13, 0, 15, 1, 4, 8, 6, 11];
    private static readonly byte[] S2 = [12, 8, 2, 13, 7, 6, 1, 3, 11, 5, 9, 15, 0, 4, 10, 14];

    // Input bit i moves to output bit P[i].
    private static readonly byte[] P =
    [
        55, 42, 10, 18, 24, 21, 44, 35, 2, 22, 56, 43, 27, 58, 9, 50, 6, 36, 12, 61, 37, 38, 53, 16, 62, 3, 7, 4, 32, 20, 63, 25,
        51, 52, 54, 33, 49, 19, 46, 29, 48, 31, 23, 30, 41, 28, 13, 5, 40, 60, 39, 11, 15, 17, 1, 0, 57, 34, 59, 8, 47, 14, 45, 26,
    ];

    // The round works a byte at a time: byte b holds nibbles 2b and 2b+1, whose S-box choices are
    // key bits 8b+3 and 8b+7, so a 2-bit selector picks one of four byte substitutions.
    // EncryptRound[(b * 4 + selector) * 256 + byteValue] = the permuted, substituted byte in place.
    private static readonly ulong[] EncryptRound = new ulong[8 * 4 * 256];
    private static readonly ulong[] InversePermutation = new ulong[8 * 256];
    private static readonly byte[] InverseSubstitution = new byte[4 * 256];

    static StaCipher()
    {
        byte[] s1Inverse = Invert(S1), s2Inverse = Invert(S2);
        for (int selector = 0; selector < 4; selector++)
        {
            byte[] low = (selector & 1) == 0 ? S1 : S2, high = (selector & 2) == 0 ? S1 : S2;
            byte[] lowInverse = (selector & 1) == 0 ? s1Inverse : s2Inverse, highInverse = (selector & 2) == 0 ? s1Inverse : s2Inverse;
            for (int v = 0; v < 256; v++)
            {
                int substituted = low[v & 15] | high[v >> 4] << 4;
                InverseSubstitution[selector * 256 + v] = (byte)(lowInverse[v & 15] | highInverse[v >> 4] << 4);
                for (int b = 0; b < 8; b++)
                    EncryptRound[(b * 4 + selector) * 256 + v] = Permute((ulong)substituted << (8 * b));
            }
        }
        for (int b = 0; b < 8; b++)
            for (int v = 0; v < 256; v++)
                InversePermutation[b * 256 + v] = InversePermute((ulong)v << (8 * b));
    }

    public static ulong Encrypt(ulong block, ulong key)
    {
        ulong k = ulong.RotateRight(~key, 12);
        for (int round = 0; round < 16; round++)
        {
            ulong result = 0;
            for (int b = 0; b < 8; b++)
                result |= EncryptRound[(b * 4 + Selector(k, b)) * 256 + (int)(block >> (8 * b) & 0xFF)];
            block = result;
            k = ulong.RotateLeft(k, 1);
        }
        return block;
    }

    public static ulong Decrypt(ulong block, ulong key)
    {
        ulong k = ulong.RotateLeft(~key, 3); // the key register as it was in the last encryption round
        for (int round = 0; round < 16; round++)
        {
            ulong permuted = 0;
            for (int b = 0; b < 8; b++)
                permuted |= InversePermutation[b * 256 + (int)(block >> (8 * b) & 0xFF)];
            ulong result = 0;
            for (int b = 0; b < 8; b++)
                result |= (ulong)InverseSubstitution[Selector(k, b) * 256 + (int)(permuted >> (8 * b) & 0xFF)] << (8 * b);
            block = result;
            k = ulong.RotateRight(k, 1);
        }
        return block;
    }

    private static int Selector(ulong k, int b) => (int)(k >> (8 * b + 3) & 1 | k >> (8 * b + 6) & 2);

    private static ulong Permute(ulong x)
    {
        ulong y = 0;
        for (int i = 0; i < 64; i++)
            y |= (x >> i & 1) << P[i];
        return y;
    }

    private static ulong InversePermute(ulong y)
    {
        ulong x = 0;
        for (int i = 0; i < 64; i++)
            x |= (y >> P[i] & 1) << i;
        return x;
    }

    private static byte[] Invert(byte[] box)
    {
        var inverse = new byte[box.Length];
        for (int i = 0; i < box.Length; i++)
            inverse[box[i]] = (byte)i;
        return inverse;
    }
}
