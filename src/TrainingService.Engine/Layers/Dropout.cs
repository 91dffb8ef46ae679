using TrainingService.Engine.Vocabulary;
using TrainingService.Engine.Activations;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>
/// Inverted dropout (PyTorch's nn.Dropout): while training, each value is kept with probability 1 − rate and scaled by
/// 1/(1 − rate), else zeroed; when evaluating or predicting the values pass through. Training is a workspace with
/// gradients (the one the step runs in); evaluation workspaces have none. The mask is drawn on the calling thread
/// from the layer's own stream, in element order, so it is the same for any thread count, and the stream's state is
/// what a checkpoint keeps (<see cref="Stream"/>).
/// </summary>
public sealed class Dropout : ILayer
{
    /// <summary>dropout in <c>model.layers</c>: rate; its mask is drawn from a stream of the run's seed named by its place.</summary>
    public static LayerKind Entry { get; } = new DropoutKind() { Order = 5 };

    private sealed class DropoutKind() : LayerKind("dropout", "inverted dropout while training (values zeroed with probability rate, the rest scaled by 1/(1 − rate)); none when evaluating",
        [SpecField.Number("rate", "the fraction of values zeroed", 0, 1, maxExclusive: true)])
    {
        public override Shape? Check(LayerSpec s, Shape input, LayerProblems p)
        {
            if (s.Rate is not { } rate) { p.Add("rate", "required: the fraction of values zeroed while training, in [0, 1)"); return null; }
            if (!(rate >= 0 && rate < 1)) { p.Add("rate", $"must be in [0, 1), got {rate}"); return null; }
            return input;
        }

        public override ILayer Build(LayerSpec s, Shape input, int index, long seed, string at) =>
            new Dropout(input, s.Rate!.Value, Rng.ForStream(seed, $"dropout {at}"));

        public override (long Parameters, double Macs, double Scratch) Cost(LayerSpec s, Shape input, Shape output) => (0, 0, output.Size);
    }

    public Dropout(Shape input, double rate, Rng stream)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentException($"rate must be in [0, 1), got {rate}", nameof(rate));
        Input = Output = input;
        Rate = rate;
        Stream = stream;
    }

    public string Kind => "dropout";
    public double Rate { get; }
    /// <summary>The mask's random stream (seeded from the run's seed, one per layer).</summary>
    public Rng Stream { get; }
    public Shape Input { get; }
    public Shape Output { get; }
    public IActivation Activation { get; } = new Identity();
    public IReadOnlyList<Parameter> Parameters { get; } = [];

    public void Initialize(string scheme, Rng rng) { }

    public LayerBuffers CreateBuffers(int maxRows, bool withGradients) => new Buffers(maxRows, Output.Size, withGradients);

    public void Forward(Matrix input, LayerBuffers buffers)
    {
        var b = (Buffers)buffers;
        if (b.Mask is null || Rate == 0)
        {
            input.ReadOnly.CopyTo(b.Z.Span);
            input.ReadOnly.CopyTo(b.A.Span);
            return;
        }
        float keep = (float)(1 / (1 - Rate));
        Span<float> mask = b.Mask.AsSpan(0, input.Length);
        for (int i = 0; i < mask.Length; i++) mask[i] = Stream.NextDouble() < Rate ? 0f : keep;
        ReadOnlySpan<float> x = input.ReadOnly;
        Span<float> z = b.Z.Span;
        for (int i = 0; i < z.Length; i++) z[i] = x[i] * mask[i];
        z.CopyTo(b.A.Span);
    }

    public void Backward(Matrix input, LayerBuffers buffers, Matrix? inputGradient)
    {
        if (inputGradient is null) return;
        var b = (Buffers)buffers;
        ReadOnlySpan<float> dz = b.DZ!.ReadOnly;
        Span<float> dx = inputGradient.Span;
        if (b.Mask is null || Rate == 0) { dz.CopyTo(dx); return; }
        ReadOnlySpan<float> mask = b.Mask.AsSpan(0, dz.Length);
        for (int i = 0; i < dx.Length; i++) dx[i] = dz[i] * mask[i];
    }

    /// <summary>Z, A and, in a training workspace, the last mask (0 or 1/(1 − rate) per value).</summary>
    private sealed class Buffers(int maxRows, int width, bool withGradients) : LayerBuffers(maxRows, width, withGradients)
    {
        public float[]? Mask { get; private set; } = withGradients ? new float[maxRows * width] : null;

        public override long Floats => base.Floats + (Mask?.LongLength ?? 0);

        public override void SetRows(int rows)
        {
            base.SetRows(rows);
            if (Mask is not null && rows * Z.Cols > Mask.Length) Mask = new float[rows * Z.Cols];
        }
    }
}
