using System.Text;
using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

/// <summary><see cref="CsvLoader.Scan"/>: the loader's checks and task without loading, stopping at the limits.</summary>
public class CsvScanTests
{
    private static CsvSummary Scan(string csv, string? target = null, CsvLimits? limits = null) =>
        CsvLoader.Scan(new StringReader(csv), "test.csv", target, limits ?? CsvLimits.None);

    public static TheoryData<string, string?> Files => new()
    {
        { "a,b,label\n1,2,x\n3,4,y\n5,6,x\n", null },
        { "label,a,b\ncat,1,2\ndog,3,4\nbird,5,6\n", "label" },
        { "a,y\n1,0\n2,1\n3,2\n4,1\n", null },
        { "a,y\n1,0.5\n2,1.25\n3,2\n", null },
        { "a,y\n1,1e3\n2,-4.5E-2\n3,7\n", null },
        { "a,y\n1,3\n2,1\n3,cat\n4,3\n", null }, // numbers first, then a text label: classes in order of appearance
        { "a,\"quoted, label\",b\n1,\"x,1\",2\n3,\"y \"\"2\"\"\",4\n", "quoted, label" },
        { string.Concat(Enumerable.Range(0, 40).Select(i => $"{i},{i}\n").Prepend("a,y\n")), null }, // > 20 integers: regression
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void ScanFindsWhatLoadFinds(string csv, string? target)
    {
        Dataset d = CsvLoader.Load(new StringReader(csv), "test.csv", target);
        CsvSummary s = Scan(csv, target);
        Assert.Equal((d.Count, d.Features, d.Classes), (s.Rows, s.Features, s.Classes));
        Assert.Equal(d.ClassNames, s.ClassNames);
        Assert.Equal(d.FeatureNames, s.Header.Where((_, c) => c != s.TargetColumn).ToArray());
    }

    [Theory]
    [InlineData("a,b,label\n1,2,x\n3,4\n")]
    [InlineData("a,b,label\n1,zz,x\n")]
    [InlineData("a,b,label\n1,2,x\n3,4,x\n")]
    [InlineData("a,y\n1,2\n2,NaN\n3,4\n")]
    [InlineData("a,y\n1,2\n2,Infinity\n")]
    [InlineData("a,a,y\n1,2,3\n")]
    [InlineData("a,b,label\n")]
    [InlineData("")]
    [InlineData("a,b,label\n1,2,\n")]
    public void ScanFailsWithTheMessageLoadGives(string csv)
    {
        var load = Assert.Throws<DataFormatException>(() => CsvLoader.Load(new StringReader(csv), "test.csv"));
        var scan = Assert.Throws<DataFormatException>(() => Scan(csv));
        Assert.Equal(load.Message, scan.Message);
    }

    [Fact]
    public void ScanStopsAtTheFirstRowPastTheLimitWithoutReadingFurther()
    {
        // An endless file: a reader that had to see the whole input would never return.
        var endless = new EndlessCsv();
        var e = Assert.Throws<CsvLimitException>(() => CsvLoader.Scan(endless, "big.csv", null, new CsvLimits(1000, 10)));
        Assert.Equal("big.csv: the file has more than 1000 data rows; the limit is 1000", e.Message);
        Assert.InRange(endless.Rows, 1001, 1001 + 1024); // at most one read-ahead buffer past the limit
    }

    [Fact]
    public void ScanRefusesAHeaderWiderThanTheColumnLimitBeforeAnyRow()
    {
        var e = Assert.Throws<CsvLimitException>(() => Scan("a,b,c,d,label\n1,2,3,4,x\n", limits: new CsvLimits(10, 4)));
        Assert.Equal("test.csv: the file has 5 columns; the limit is 4", e.Message);
        Assert.Equal(2, Scan("a,b,c,label\n1,2,3,x\n3,4,5,y\n", limits: new CsvLimits(2, 4)).Rows); // at the limits: fine
    }

    [Fact]
    public void ALineLongerThanTheRowLimitIsRefusedWithoutReadingItWhole()
    {
        // One endless header line: "c0,c1,c2,…" and never a line break.
        var endless = new EndlessLine();
        var e = Assert.Throws<CsvLimitException>(() => CsvLoader.Scan(endless, "wide.csv", null, new CsvLimits(10, 4)));
        Assert.Equal($"wide.csv: line 1 is longer than {4 * CsvLimits.CharsPerColumn} characters, the limit for a row", e.Message);
        Assert.InRange(endless.Chars, 4 * CsvLimits.CharsPerColumn, 4 * CsvLimits.CharsPerColumn + 16 * 1024);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void LineBreaksSplitAcrossReadBuffersAreOneBreak(string newline)
    {
        // The header ends just before, on and after the reader's 16 K buffer boundary.
        foreach (int width in new[] { 16 * 1024 - 2, 16 * 1024 - 1, 16 * 1024 })
        {
            string header = "a," + new string('b', width - 8) + ",label";
            string csv = header + newline + "1,2,x" + newline + "3,4,y" + newline;
            Dataset d = CsvLoader.Load(new StringReader(csv), "test.csv");
            Assert.Equal((2, 2, header[(header.IndexOf(',') + 1)..header.LastIndexOf(',')]), (d.Count, d.Classes, d.FeatureNames![1]));
            var e = Assert.Throws<DataFormatException>(() => CsvLoader.Load(new StringReader(csv + "5,oops,x" + newline), "test.csv"));
            Assert.StartsWith("test.csv: line 4,", e.Message);
        }
    }

    [Fact]
    public void TextTargetWithMoreLabelsThanMaxClassesIsRefusedByLoadAndScan()
    {
        var sb = new StringBuilder("a,label\n");
        for (int i = 0; i <= CsvLoader.MaxClasses; i++) sb.Append(i).Append(",c").Append(i).Append('\n');
        string csv = sb.ToString();
        var scan = Assert.Throws<DataFormatException>(() => Scan(csv));
        Assert.Contains($"more than {CsvLoader.MaxClasses} distinct labels", scan.Message);
        Assert.Equal(scan.Message, Assert.Throws<DataFormatException>(() => CsvLoader.Load(new StringReader(csv), "test.csv")).Message);

        // As many distinct numbers are a regression target, loaded in full.
        string numeric = csv.Replace(",c", ",0.5");
        Assert.Equal((0, CsvLoader.MaxClasses + 1), (Scan(numeric).Classes, CsvLoader.Load(new StringReader(numeric), "t.csv").Count));
    }

    [Fact]
    public async Task MovingTheTargetLastKeepsEveryValueAndLoadsAsTheOriginalDoes()
    {
        string csv = "label,\"a b\",c\n\"x, \"\"1\"\"\",1.5, 2\ny,0.1,3e2\n\n\"x, \"\"1\"\"\",7,8\n";
        var output = new StringWriter();
        await CsvRewriter.MoveColumnLastAsync(new StringReader(csv), output, 0, "test.csv");
        Assert.Equal("a b,c,label\n1.5,2,\"x, \"\"1\"\"\"\n0.1,3e2,y\n7,8,\"x, \"\"1\"\"\"\n", output.ToString());
        Dataset original = CsvLoader.Load(new StringReader(csv), "test.csv", "label");
        Dataset moved = CsvLoader.Load(new StringReader(output.ToString()), "test.csv");
        Assert.Equal(original.X, moved.X);
        Assert.Equal(original.Y, moved.Y);
        Assert.Equal(original.ClassNames, moved.ClassNames);
    }

    /// <summary>"c0,c1,…" for ever, counting the characters read.</summary>
    private sealed class EndlessLine : TextReader
    {
        public long Chars { get; private set; }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            for (int i = 0; i < buffer.Length; i++) buffer[i] = (Chars + i) % 4 == 0 ? 'c' : (Chars + i) % 4 == 3 ? ',' : '7';
            Chars += buffer.Length;
            return buffer.Length;
        }
    }

    /// <summary>"i,i%3\n" rows for ever, counting how many were read.</summary>
    private sealed class EndlessCsv : TextReader
    {
        private string _pending = "a,y\n";
        private int _pos;
        public int Rows { get; private set; }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            if (_pos == _pending.Length)
            {
                _pending = $"{Rows},{Rows % 3}\n";
                _pos = 0;
                Rows++;
            }
            int n = Math.Min(buffer.Length, _pending.Length - _pos);
            _pending.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        public override int Peek() => -1;

        public override int Read()
        {
            Span<char> one = stackalloc char[1];
            return Read(one) == 1 ? one[0] : -1;
        }
    }
}
