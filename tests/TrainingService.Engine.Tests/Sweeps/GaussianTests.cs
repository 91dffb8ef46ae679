using TrainingService.Engine.Sweeps;

namespace TrainingService.Engine.Tests.Sweeps;

public sealed class GaussianTests
{
    // Φ(z) from Python's math.erfc: 0.5 * erfc(-z / sqrt(2)).
    [Theory]
    [InlineData(-8, 6.220960574271819e-16)]
    [InlineData(-5, 2.866515718791946e-07)]
    [InlineData(-3, 0.0013498980316300957)]
    [InlineData(-1, 0.15865525393145707)]
    [InlineData(0, 0.5)]
    [InlineData(0.5, 0.6914624612740131)]
    [InlineData(1, 0.8413447460685429)]
    [InlineData(2, 0.9772498680518208)]
    [InlineData(3, 0.9986501019683699)]
    public void CdfMatchesErfcToTwelveDigits(double z, double expected)
    {
        Assert.Equal(expected, Gaussian.Cdf(z), expected * 1e-12);
        Assert.Equal(Math.Log(expected), Gaussian.LogCdf(z), 1e-12);
    }

    // log Φ(z) where Φ underflows: the asymptotic series −z²/2 − log(−z) − ½log 2π + log(1 − 1/z² + 3/z⁴ − …).
    [Theory]
    [InlineData(-20, -203.91715537109727)]
    [InlineData(-40, -804.6084420137538)]
    public void LogCdfStaysFiniteInTheFarLowerTail(double z, double expected) =>
        Assert.Equal(expected, Gaussian.LogCdf(z), 1e-9);

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(-3, -2)]
    [InlineData(2, 3)]
    [InlineData(30, 31)]
    [InlineData(-31, -30)]
    [InlineData(0.1, 0.1000001)]
    public void LogMassIsTheLogOfTheDensitysIntegralEvenWhereBothCdfsRoundTo1Or0(double a, double b)
    {
        double actual = Gaussian.LogMass(a, b);
        Assert.True(double.IsFinite(actual), $"log mass of [{a}, {b}] is {actual}");
        Assert.Equal(LogMassByQuadrature(a, b), actual, 1e-9 * Math.Max(1, Math.Abs(actual)));
    }

    /// <summary>log ∫ₐᵇ φ(z) dz by Simpson's rule, with the density scaled by its largest value on [a, b] so that
    /// nothing underflows.</summary>
    private static double LogMassByQuadrature(double a, double b)
    {
        double shift = a <= 0 && b >= 0 ? 0 : Math.Min(a * a, b * b);
        const int n = 20_000;
        double h = (b - a) / n, sum = 0;
        for (int i = 0; i <= n; i++)
        {
            double z = a + i * h;
            double f = Math.Exp(-(z * z - shift) / 2);
            sum += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }
        return Math.Log(sum * h / 3) - shift / 2 - 0.5 * Math.Log(2 * Math.PI);
    }

    [Fact]
    public void InverseCdfUndoesCdf()
    {
        for (double z = -8; z <= 3; z += 0.25)
            Assert.Equal(z, Gaussian.InverseCdf(Gaussian.Cdf(z)), 1e-9);
        // Above, p = Φ(z) itself has only 1 − p's few digits left.
        for (double z = 3; z <= 6; z += 0.25)
            Assert.Equal(z, Gaussian.InverseCdf(Gaussian.Cdf(z)), 1e-6);
        Assert.Equal(double.NegativeInfinity, Gaussian.InverseCdf(0));
        Assert.Equal(double.PositiveInfinity, Gaussian.InverseCdf(1));
    }
}
