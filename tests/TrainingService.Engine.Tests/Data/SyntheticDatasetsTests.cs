using TrainingService.Engine.Data;

namespace TrainingService.Engine.Tests.Data;

public class SyntheticDatasetsTests
{
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (GeneratorInfo g in SyntheticDatasets.All) names.Add(g.Name);
        return names;
    }

    [Fact]
    public void AllListsTheSevenGenerators()
    {
        var names = new List<string>();
        foreach (GeneratorInfo g in SyntheticDatasets.All) names.Add(g.Name);
        Assert.Equal(["xor", "circles", "moons", "spiral", "blobs", "linear", "sine"], names);
    }

    [Theory, MemberData(nameof(Names))]
    public void SameSeedGivesIdenticalData(string name)
    {
        Dataset a = SyntheticDatasets.Generate(name, 101, 0.1, 42);
        Dataset b = SyntheticDatasets.Generate(name, 101, 0.1, 42);
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.Y, b.Y);
    }

    [Theory, MemberData(nameof(Names))]
    public void DifferentSeedGivesDifferentData(string name)
    {
        Dataset a = SyntheticDatasets.Generate(name, 101, 0.1, 42);
        Dataset b = SyntheticDatasets.Generate(name, 101, 0.1, 43);
        Assert.NotEqual(a.X, b.X);
    }

    [Theory, MemberData(nameof(Names))]
    public void ShapeMatchesGeneratorInfo(string name)
    {
        GeneratorInfo info = SyntheticDatasets.Find(name)!;
        Dataset d = SyntheticDatasets.Generate(name, 37, info.DefaultNoise, 1);
        Assert.Equal(name, d.Name);
        Assert.Equal(37, d.Count);
        Assert.Equal(info.Features, d.Features);
        Assert.Equal(37 * info.Features, d.X.Length);
        Assert.Equal(37, d.Y.Length);
        Assert.Equal(1, d.TargetWidth);
        Assert.Equal(info.Classes, d.Classes);
        Assert.Equal(info.Classes == 0 ? "regression" : "classification", info.Task);
        Assert.All(d.X, v => Assert.True(float.IsFinite(v)));
    }

    [Theory, MemberData(nameof(Names))]
    public void ClassesAreBalancedToWithinOneSample(string name)
    {
        GeneratorInfo info = SyntheticDatasets.Find(name)!;
        if (info.Classes == 0) return;
        foreach (int samples in new[] { 1, 2, 100, 101, 302 })
        {
            Dataset d = SyntheticDatasets.Generate(name, samples, 0.1, 5);
            var counts = new int[info.Classes];
            foreach (float y in d.Y)
            {
                Assert.Equal(MathF.Round(y), y);
                counts[(int)y]++;
            }
            for (int c = 0; c < info.Classes; c++)
                Assert.Equal(samples / info.Classes + (c < samples % info.Classes ? 1 : 0), counts[c]);
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void NoiseMovesPointsButKeepsLabelsAndOrder(string name)
    {
        Dataset clean = SyntheticDatasets.Generate(name, 50, 0, 9);
        Dataset noisy = SyntheticDatasets.Generate(name, 50, 0.2, 9);
        if (clean.IsClassification) Assert.Equal(clean.Y, noisy.Y);
        else Assert.Equal(clean.X, noisy.X);
    }

    [Fact]
    public void ClassificationRowsAreShuffledNotInClassBlocks()
    {
        Dataset d = SyntheticDatasets.Generate("blobs", 300, 0.3, 1);
        int changes = 0;
        for (int i = 1; i < d.Count; i++) if (d.Y[i] != d.Y[i - 1]) changes++;
        Assert.True(changes > 50, $"only {changes} label changes in 300 rows");
    }

    [Fact]
    public void XorLabelIsOneWhereProductIsPositive()
    {
        Dataset d = SyntheticDatasets.Generate("xor", 400, 0, 3);
        for (int i = 0; i < d.Count; i++)
        {
            float x = d.X[2 * i], y = d.X[2 * i + 1];
            Assert.InRange(x, -1f, 1f);
            Assert.InRange(y, -1f, 1f);
            Assert.Equal(x * y > 0 ? 1f : 0f, d.Y[i]);
        }
    }

    [Fact]
    public void CirclesWithoutNoiseLieOnRadiusOneForClassZeroAndHalfForClassOne()
    {
        Dataset d = SyntheticDatasets.Generate("circles", 200, 0, 3);
        for (int i = 0; i < d.Count; i++)
        {
            double r = Math.Sqrt(d.X[2 * i] * (double)d.X[2 * i] + d.X[2 * i + 1] * (double)d.X[2 * i + 1]);
            Assert.Equal(d.Y[i] == 0 ? 1.0 : 0.5, r, 1e-6);
        }
    }

    [Fact]
    public void MoonsWithoutNoiseFollowSklearnHalfCircles()
    {
        Dataset d = SyntheticDatasets.Generate("moons", 200, 0, 3);
        for (int i = 0; i < d.Count; i++)
        {
            double x = d.X[2 * i], y = d.X[2 * i + 1];
            if (d.Y[i] == 0)
            {
                Assert.Equal(1.0, x * x + y * y, 1e-6);
                Assert.True(y >= -1e-6);
            }
            else
            {
                Assert.Equal(1.0, (x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 1e-6);
                Assert.True(y <= 0.5 + 1e-6);
            }
        }
    }

    [Fact]
    public void SpiralWithoutNoiseFollowsCs231nArms()
    {
        Dataset d = SyntheticDatasets.Generate("spiral", 300, 0, 3);
        for (int i = 0; i < d.Count; i++)
        {
            double x = d.X[2 * i], y = d.X[2 * i + 1];
            double r = Math.Sqrt(x * x + y * y);
            Assert.InRange(r, 0, 1 + 1e-6);
            if (r < 0.05) continue; // the angle is ill-defined at the centre
            // Point is (r·sin t, r·cos t) with t = 4c + 4r (linspace over the same index as r).
            double t = 4 * d.Y[i] + 4 * r;
            Assert.Equal(r * Math.Sin(t), x, 1e-5);
            Assert.Equal(r * Math.Cos(t), y, 1e-5);
        }
    }

    [Fact]
    public void BlobsAreCentredOnTheirFixedCentres()
    {
        Dataset d = SyntheticDatasets.Generate("blobs", 3000, 0.3, 3);
        double[] cx = [0, -Math.Sqrt(3) / 2, Math.Sqrt(3) / 2], cy = [1, -0.5, -0.5];
        var sx = new double[3]; var sy = new double[3]; var n = new int[3];
        for (int i = 0; i < d.Count; i++)
        {
            int c = (int)d.Y[i];
            sx[c] += d.X[2 * i]; sy[c] += d.X[2 * i + 1]; n[c]++;
        }
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(cx[c], sx[c] / n[c], 0.05);
            Assert.Equal(cy[c], sy[c] / n[c], 0.05);
        }
    }

    [Fact]
    public void LinearWithoutNoiseIsTwoXPlusOne()
    {
        Dataset d = SyntheticDatasets.Generate("linear", 100, 0, 3);
        Assert.Equal(0, d.Classes);
        for (int i = 0; i < d.Count; i++)
        {
            Assert.InRange(d.X[i], -1f, 1f);
            Assert.Equal(2 * d.X[i] + 1, d.Y[i], 1e-5f);
        }
    }

    [Fact]
    public void SineWithoutNoiseIsSinX()
    {
        Dataset d = SyntheticDatasets.Generate("sine", 100, 0, 3);
        for (int i = 0; i < d.Count; i++)
        {
            Assert.InRange(d.X[i], -MathF.PI, MathF.PI);
            Assert.Equal(MathF.Sin(d.X[i]), d.Y[i], 1e-5f);
        }
    }

    [Fact]
    public void LinearNoiseHasTheRequestedStd()
    {
        Dataset d = SyntheticDatasets.Generate("linear", 20000, 0.5, 3);
        double sum = 0, sq = 0;
        for (int i = 0; i < d.Count; i++)
        {
            double e = d.Y[i] - (2.0 * d.X[i] + 1);
            sum += e; sq += e * e;
        }
        double mean = sum / d.Count;
        Assert.Equal(0, mean, 0.02);
        Assert.Equal(0.5, Math.Sqrt(sq / d.Count - mean * mean), 0.02);
    }

    [Fact]
    public void UnknownNameThrowsNamingItAndTheAllowedNames()
    {
        var e = Assert.Throws<ArgumentException>(() => SyntheticDatasets.Generate("swirl", 10, 0, 1));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("'swirl'", e.Message);
        Assert.Contains("xor, circles, moons, spiral, blobs, linear, sine", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1_000_001)]
    public void SamplesOutOfRangeThrowsWithNameAndValue(int samples)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDatasets.Generate("xor", samples, 0, 1));
        Assert.Equal("samples", e.ParamName);
        Assert.Equal(samples, e.ActualValue);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void InvalidNoiseThrowsWithNameAndValue(double noise)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDatasets.Generate("moons", 10, noise, 1));
        Assert.Equal("noise", e.ParamName);
        Assert.Equal(noise, e.ActualValue);
    }
}
