namespace MPM.Plugins.Sts.Engine;

/// <summary>The token CRC: CRC-16/MODBUS over class ‖ bits 63..16 of the data block, byte-swapped.</summary>
public static class StsCrc
{
    private static readonly ushort[] Table = BuildTable();

    /// <summary>CRC-16/MODBUS: polynomial 0x8005 reflected (0xA001), initial value 0xFFFF, no final XOR.</summary>
    public static ushort Modbus(ReadOnlySpan<byte> data)
    {
        ushort crc = 0xFFFF;
        foreach (byte b in data)
            crc = (ushort)(crc >> 8 ^ Table[(crc ^ b) & 0xFF]);
        return crc;
    }

    /// <summary>
    /// The 16-bit CRC field for a block whose bits 63..16 are filled in: the 50 bits
    /// class ‖ block[63..16], right-aligned big-endian in 7 bytes, through CRC-16/MODBUS, byte-swapped.
    /// </summary>
    public static ushort Field(int tokenClass, ulong block)
    {
        ulong value = (ulong)tokenClass << 48 | block >> 16;
        ushort crc = 0xFFFF;
        for (int shift = 48; shift >= 0; shift -= 8)
            crc = (ushort)(crc >> 8 ^ Table[(crc ^ (byte)(value >> shift)) & 0xFF]);
        return ushort.RotateLeft(crc, 8);
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            int crc = i;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? crc >> 1 ^ 0xA001 : crc >> 1;
            table[i] = (ushort)crc;
        }
        return table;
    }
}
