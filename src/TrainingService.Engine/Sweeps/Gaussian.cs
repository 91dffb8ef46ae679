namespace TrainingService.Engine.Sweeps;

/// <summary>
/// The standard normal distribution's CDF Φ, its logarithm, the log of the mass between two points and the inverse
/// CDF, accurate into the far tails: the truncated Gaussians of <see cref="NumericParzenEstimator"/> need
/// log(Φ(b) − Φ(a)) where both Φ underflow or round to 1. (.NET has no erf; scipy's ndtr / log_ndtr are the reference.)
/// </summary>
internal static class Gaussian
{
    private const double Sqrt2 = 1.4142135623730951;
    private const double SqrtPi = 1.7724538509055160;

    /// <summary>Φ(z) = ½·erfc(−z/√2).</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>log Φ(z), finite down to z ≈ −10¹⁵⁴.</summary>
    public static double LogCdf(double z)
    {
        if (double.IsNegativeInfinity(z)) return double.NegativeInfinity;
        if (z >= 0) return Math.Log(1.0 - 0.5 * Erfc(z / Sqrt2)); // Φ ≥ ½: the complement is small, no cancellation in 1 − it
        double x = -z / Sqrt2;
        // erfc(x) = e^{−x²}·erfcx(x): take the logarithm before e^{−x²} underflows.
        return x < ContinuedFractionFrom ? Math.Log(0.5 * Erfc(x)) : Math.Log(0.5 * ScaledErfc(x)) - x * x;
    }

    /// <summary>log(Φ(b) − Φ(a)) for a ≤ b (−∞ when a = b).</summary>
    public static double LogMass(double a, double b)
    {
        if (a > 0) return LogMass(-b, -a); // the upper tail is the mirrored lower tail, where Φ keeps its digits
        if (b <= 0)
        {
            double lb = LogCdf(b), la = LogCdf(a);
            return lb + Math.Log(1.0 - Math.Exp(la - lb));
        }
        // a ≤ 0 < b: one minus the two tails.
        return Math.Log(1.0 - Cdf(a) - Cdf(-b));
    }

    /// <summary>z with Φ(z) = p, for 0 &lt; p &lt; 1 (±∞ at 0 and 1): Acklam's rational approximation (relative error
    /// 1.15·10⁻⁹) refined by one Halley step on <see cref="Cdf"/>.</summary>
    public static double InverseCdf(double p)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        double x;
        if (p < PLow) x = Tail(Math.Sqrt(-2 * Math.Log(p)));
        else if (p > 1 - PLow) x = -Tail(Math.Sqrt(-2 * Math.Log(1 - p)));
        else
        {
            double q = p - 0.5, r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
                (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        }
        double e = Cdf(x) - p;
        double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    /// <summary>log of the standard normal density at z.</summary>
    public static double LogPdf(double z) => -0.5 * z * z - 0.9189385332046727; // ½·log 2π

    /// <summary>erfc(x) = 1 − erf(x).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2.0 - Erfc(-x);
        if (x >= ContinuedFractionFrom) return Math.Exp(-x * x) * ScaledErfc(x);
        // erf(x) = 2/√π · e^{−x²} · Σ 2ⁿx^{2n+1} / (1·3·…·(2n+1)): every term positive, so no cancellation.
        double term = x, sum = x;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 1.0 - 2.0 / SqrtPi * Math.Exp(-x * x) * sum;
    }

    /// <summary>erfcx(x) = e^{x²}·erfc(x) for x ≥ 3, by the continued fraction
    /// erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))), evaluated from the back.</summary>
    private static double ScaledErfc(double x)
    {
        double f = x;
        for (int n = 120; n >= 1; n--) f = x + n / 2.0 / f;
        return 1.0 / (SqrtPi * f);
    }

    private const double ContinuedFractionFrom = 3.0;
    private const double PLow = 0.02425;

    private static double Tail(double q) =>
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
        ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);

    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
}
