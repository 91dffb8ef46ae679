using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

public class CsvLoaderTests
{
    private static Dataset LoadText(string csv, string? target = null) =>
        CsvLoader.Load(new StringReader(csv), "test.csv", target);

    private static DataFormatException LoadFails(string csv, string? target = null) =>
        Assert.Throws<DataFormatException>(() => LoadText(csv, target));

    [Fact]
    public void IrisLoadsWithTextLabelsInOrderOfAppearance()
    {
        Dataset d = CsvLoader.Load(Path.Combine(SharedPaths.Datasets, "uci", "iris.csv"));
        Assert.Equal("iris", d.Name);
        Assert.Equal(150, d.Count);
        Assert.Equal(4, d.Features);
        Assert.Equal(3, d.Classes);
        Assert.Equal(["setosa", "versicolor", "virginica"], d.ClassNames!);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], d.FeatureNames!);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], d.Row(0).ToArray());
        Assert.Equal(0f, d.Y[0]);
        Assert.Equal(1f, d.Y[50]);
        Assert.Equal(2f, d.Y[149]);
    }

    [Fact]
    public void Digits8x8LoadsWithTargetChosenByName()
    {
        Dataset d = CsvLoader.Load(Path.Combine(SharedPaths.Datasets, "uci", "digits8x8.csv"), "digit");
        Assert.Equal(1797, d.Count);
        Assert.Equal(64, d.Features);
        Assert.Equal(10, d.Classes);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], d.ClassNames!);
        Assert.Equal("p0", d.FeatureNames![0]);
        Assert.Equal("p63", d.FeatureNames[63]);
        Assert.All(d.Y, y => Assert.InRange(y, 0f, 9f));
    }

    [Fact]
    public void TargetByNameMayBeAnyColumn()
    {
        Dataset d = LoadText("a,label,b\n1,x,2\n3,y,4\n", "label");
        Assert.Equal(["a", "b"], d.FeatureNames!);
        Assert.Equal([1f, 2f, 3f, 4f], d.X);
        Assert.Equal(["x", "y"], d.ClassNames!);
        Assert.Equal([0f, 1f], d.Y);
    }

    [Fact]
    public void TargetDefaultsToTheLastColumn()
    {
        Dataset d = LoadText("a,b,c\n1,2,0.5\n3,4,1.5\n");
        Assert.Equal(["a", "b"], d.FeatureNames!);
        Assert.Equal([0.5f, 1.5f], d.Y);
    }

    [Fact]
    public void TargetNameFallsBackToCaseInsensitiveMatch()
    {
        Dataset d = LoadText("a,Species\n1,x\n2,y\n", "species");
        Assert.Equal(["a"], d.FeatureNames!);
        Assert.Equal(2, d.Classes);
    }

    [Fact]
    public void AmbiguousCaseInsensitiveTargetIsAnError()
    {
        var e = LoadFails("a,Label,LABEL\n1,x,y\n", "label");
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("'LABEL'", e.Message);
    }

    [Fact]
    public void QuotedFieldsMayHoldCommasQuotesAndSurroundingWhitespace()
    {
        Dataset d = LoadText("\"width\", \"height\" ,label\n \"1.5\" , 2 ,\"a, \"\"big\"\" one\"\n3,\"4\",plain\n");
        Assert.Equal(["width", "height"], d.FeatureNames!);
        Assert.Equal([1.5f, 2f, 3f, 4f], d.X);
        Assert.Equal(["a, \"big\" one", "plain"], d.ClassNames!);
    }

    [Fact]
    public void QuotedFieldMaySpanLinesAndLaterLineNumbersStayPhysical()
    {
        var e = LoadFails("a,label\n1,\"two\nlines\"\n2,x\nbad,y\n");
        Assert.Contains("line 5, column 'a' (1)", e.Message);
        Dataset d = LoadText("a,label\n1,\"two\nlines\"\n2,x\n");
        Assert.Equal(["two\nlines", "x"], d.ClassNames!);
    }

    [Fact]
    public void BlankLinesAreSkippedAndStillCounted()
    {
        Dataset d = LoadText("a,b\n\n1,0\n   \n2,1\n\n");
        Assert.Equal(2, d.Count);
        var e = LoadFails("a,b\n\n1,0\n\nx,1\n");
        Assert.Contains("line 5,", e.Message);
    }

    [Fact]
    public void CrlfLineEndingsAndByteOrderMarkAreAccepted()
    {
        Dataset d = LoadText("\uFEFFa,b\r\n1,x\r\n2,y\r\n");
        Assert.Equal(["a"], d.FeatureNames!);
        Assert.Equal(["x", "y"], d.ClassNames!);
    }

    [Fact]
    public void NumbersUseInvariantCultureWithExponents()
    {
        Dataset d = LoadText("a,b,t\n-1.5e2,+.25,0.5\n1E-3,7,1.5\n");
        Assert.Equal([-150f, 0.25f, 0.001f, 7f], d.X);
    }

    [Fact]
    public void IntegerTargetWithFewValuesIsClassificationOverSortedValues()
    {
        Dataset d = LoadText("a,t\n0,3\n0,1\n0,2\n0,1.0\n");
        Assert.Equal(3, d.Classes);
        Assert.Equal(["1", "2", "3"], d.ClassNames!);
        Assert.Equal([2f, 0f, 1f, 0f], d.Y);
    }

    [Fact]
    public void NonIntegerNumericTargetIsRegression()
    {
        Dataset d = LoadText("a,t\n0,1\n0,2.5\n0,-3\n");
        Assert.Equal(0, d.Classes);
        Assert.False(d.IsClassification);
        Assert.Null(d.ClassNames!);
        Assert.Equal([1f, 2.5f, -3f], d.Y);
    }

    [Fact]
    public void IntegerTargetWithMoreThanTwentyValuesIsRegression()
    {
        var csv = new System.Text.StringBuilder("a,t\n");
        for (int i = 0; i < 21; i++) csv.Append($"0,{i}\n");
        Assert.Equal(0, LoadText(csv.ToString()).Classes);
        Assert.Equal(20, LoadText(csv.ToString().Replace("0,20\n", "")).Classes);
    }

    [Fact]
    public void LoadFromPathNamesTheDatasetAfterTheFileAndErrorsAfterThePath()
    {
        using var dir = new TempDirectory();
        string good = dir.Write("flowers.csv", "a,b\n1,x\n2,y\n");
        Assert.Equal("flowers", CsvLoader.Load(good).Name);
        string bad = dir.Write("broken.csv", "a,b\n1,x,3\n");
        var e = Assert.Throws<DataFormatException>(() => CsvLoader.Load(bad));
        Assert.StartsWith(bad + ":", e.Message);
    }

    [Fact]
    public void RaggedRowNamesTheLineAndFieldCounts()
    {
        var e = LoadFails("a,b,c,d,e\n1,2,3,4,x\n1,2,3,4,x\n1,2,3,4,x\n1,2,3,4,x\n1,2,3,4,x\n1,2,3,4\n");
        Assert.Equal("test.csv: line 7 has 4 fields, expected 5", e.Message);
    }

    [Fact]
    public void NonNumericFeatureNamesTheLineAndColumn()
    {
        var e = LoadFails("sepal_length,sepal_width,species\n1,2,x\n1,abc,y\n");
        Assert.Equal("test.csv: line 3, column 'sepal_width' (2): 'abc' is not a number", e.Message);
    }

    [Fact]
    public void EmptyFeatureIsNotANumber()
    {
        var e = LoadFails("a,b,t\n1,,x\n");
        Assert.Contains("line 2, column 'b' (2): '' is not a number", e.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e40")]
    public void NonFiniteFeatureNamesTheLineAndColumn(string value)
    {
        var e = LoadFails($"a,b,t\n1,2,x\n1,{value},y\n");
        Assert.Contains($"line 3, column 'b' (2): '{value}' is not a finite number", e.Message);
    }

    [Fact]
    public void NaNTargetNamesTheLineAndColumn()
    {
        var e = LoadFails("a,t\n1,0.5\n2,NaN\n");
        Assert.Contains("line 3, column 't' (2): target 'NaN' is not a finite number", e.Message);
    }

    [Fact]
    public void EmptyTargetNamesTheLineAndColumn()
    {
        var e = LoadFails("a,t\n1,x\n2,\n");
        Assert.Contains("line 3, column 't' (2)", e.Message);
    }

    [Fact]
    public void SingleTextLabelIsAnError()
    {
        var e = LoadFails("a,t\n1,x\n2,x\n");
        Assert.Contains("only one label ('x')", e.Message);
    }

    [Fact]
    public void MissingTargetColumnListsTheColumns()
    {
        var e = LoadFails("a,b,c\n1,2,3\n", "foo");
        Assert.Equal("test.csv: target column 'foo' not found; columns are: a, b, c", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void EmptyFileIsAnError(string csv)
    {
        var e = LoadFails(csv);
        Assert.Contains("test.csv", e.Message);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void HeaderOnlyIsAnError()
    {
        var e = LoadFails("a,b,c\n\n");
        Assert.Equal("test.csv: the file has a header row but no data rows", e.Message);
    }

    [Fact]
    public void DuplicateHeaderNamesAreAnError()
    {
        var e = LoadFails("a,b,a\n1,2,3\n");
        Assert.Contains("duplicate column name 'a' (columns 1 and 3)", e.Message);
    }

    [Fact]
    public void EmptyHeaderNameIsAnError()
    {
        var e = LoadFails("a,,t\n1,2,x\n");
        Assert.Contains("line 1, column 2 has an empty header name", e.Message);
    }

    [Fact]
    public void FewerThanTwoColumnsIsAnError()
    {
        var e = LoadFails("only\n1\n2\n");
        Assert.Contains("need at least 2", e.Message);
    }

    [Fact]
    public void UnclosedQuoteIsAnError()
    {
        var e = LoadFails("a,t\n1,\"x\n2,y\n");
        Assert.Contains("line 2, field 2: quoted field is not closed", e.Message);
    }

    [Fact]
    public void TextAfterClosingQuoteIsAnError()
    {
        var e = LoadFails("a,t\n1,\"x\"y\n");
        Assert.Contains("line 2, field 2: unexpected 'y' after a closing quote", e.Message);
    }
}
