using System.Globalization;
using TrainingService.Engine.Data;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Tests.Data;

public class CsvNumberTests
{
    private static float Reference(string s) => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+7")]
    [InlineData("255")]
    [InlineData("5.1")]
    [InlineData("-3.25")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("0000000012.500")]
    [InlineData("16777215")]
    [InlineData("16777217")] // mantissa past 2^24: fallback
    [InlineData("0.1234567891")]
    [InlineData("0.12345678912")] // 11 decimals: fallback
    [InlineData("1e-3")]
    [InlineData(" 2 ")]
    [InlineData("3.4028236e38")] // rounds to infinity
    public void MatchesFloatParseBitForBit(string s)
    {
        Assert.True(CsvNumber.TryParse(s, out float v));
        Assert.Equal(BitConverter.SingleToInt32Bits(Reference(s)), BitConverter.SingleToInt32Bits(v));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("abc")]
    [InlineData("--1")]
    public void RejectsWhatFloatParseRejects(string s) => Assert.False(CsvNumber.TryParse(s, out _));

    [Fact]
    public void RandomDecimalsMatchFloatParseBitForBit()
    {
        var rng = Rng.ForStream(1, "csv-number");
        for (int n = 0; n < 200_000; n++)
        {
            int intDigits = rng.NextInt(9), decimals = rng.NextInt(12);
            var s = new System.Text.StringBuilder();
            if (rng.NextInt(3) == 0) s.Append('-');
            for (int i = 0; i < intDigits; i++) s.Append((char)('0' + rng.NextInt(10)));
            if (decimals > 0 || intDigits == 0) s.Append('.');
            for (int i = 0; i < Math.Max(decimals, intDigits == 0 ? 1 : 0); i++) s.Append((char)('0' + rng.NextInt(10)));
            string text = s.ToString();
            Assert.True(CsvNumber.TryParse(text, out float v), text);
            Assert.True(BitConverter.SingleToInt32Bits(Reference(text)) == BitConverter.SingleToInt32Bits(v), text);
        }
    }
}
