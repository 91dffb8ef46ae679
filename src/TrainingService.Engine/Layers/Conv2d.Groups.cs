using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Layers;

/// <summary>How a batch goes through a <see cref="Conv2d"/>: a group of chunks (<see cref="Pass"/>) and the buffer
/// regions the groups work in.</summary>
public sealed partial class Conv2d
{
    /// <summary>One group of a forward or backward pass: its chunks in order, in its own region of the buffers, with
    /// kernels on <see cref="Inner"/> threads.</summary>
    private readonly record struct Pass(Conv2d Layer, Buffers B, Matrix Input, Matrix? DZ, Matrix? InputGradient, bool Forward) : IPartOp
    {
        public int Rows { get; init; }
        public int Groups { get; init; }
        public int Inner { get; init; }

        public void Run(int group)
        {
            Conv2d l = Layer;
            int chunk = l.ChunkSamples, chunks = (Rows + chunk - 1) / chunk;
            int c0 = (int)((long)chunks * group / Groups), c1 = (int)((long)chunks * (group + 1) / Groups);
            int window = l.Window, filters = l.Filters, positions = l.Positions;
            long region = (long)chunk * positions;
            int cols = (int)(group * window * region), product = (int)(group * filters * region);
            float[] dWt = B.WeightGradients;
            for (int c = c0; c < c1; c++)
            {
                int n0 = c * chunk, count = Math.Min(chunk, Rows - n0), columns = count * positions;
                // With a region per chunk (chunks ≤ groups) the forward pass's columns of this input are still there.
                if (Forward || chunks > Groups) Samples(count, positions * window, new Im2Col(l, Input.Data, B.ColsData, cols, n0, columns));
                if (Forward)
                {
                    Kernels.MatMul(l.Weights.Data, B.ColsData.AsSpan(cols, window * columns), B.ProductData.AsSpan(product, filters * columns),
                        filters, window, columns, false, Inner);
                    Samples(count, l.Output.Size, new ToSamples(B.ProductData, product, B.Z.Data, B.A.Data, l.Bias.Data, positions, n0, columns, l.Activation));
                    continue;
                }
                // ∂L/∂Z (N×F×P) → filters × the chunk's positions, the layout of the forward product.
                Samples(count, l.Output.Size, new ToFilters(DZ!.Data, B.ProductData, product, B.SampleSums, positions, n0, columns, filters));
                // dWᵀ (+)= cols·dZᵀ (C·kh·kw × filters): the filters are the product's columns, as the micro-tiles like them wide.
                Kernels.MatMulTransB(B.ColsData.AsSpan(cols, window * columns), B.ProductData.AsSpan(product, filters * columns),
                    dWt.AsSpan(group * window * filters, window * filters), window, columns, filters, c > c0, Inner);
                if (InputGradient is null) continue;
                Kernels.MatMulTransA(l.Weights.Data, B.ProductData.AsSpan(product, filters * columns), B.DColsData.AsSpan(cols, window * columns),
                    window, filters, columns, false, Inner);
                Samples(count, positions * window, new Col2Im(l, B.DColsData, cols, InputGradient.Data, n0, columns));
            }
        }

        private void Samples<TOp>(int count, int cols, in TOp op) where TOp : struct, IRowBlockOp
        {
            if (Inner == 1) op.RunRows(0, count);
            else RowBlocks.Run(count, cols, op);
        }
    }

    /// <summary>The column buffers beside Z and A, one region per group that may run at once (<see cref="Regions"/>), each a fixed number of
    /// rows × the positions of a chunk of samples: cols (C·kh·kw rows: one per window offset, a column per output position
    /// of each sample of the chunk), the product (filters rows; ∂L/∂Z in that order on the way back) and, for training,
    /// dCols; each group's dWᵀ, and the per-sample sums of db.</summary>
    private sealed class Buffers : LayerBuffers
    {
        private readonly Conv2d _layer;
        private readonly bool _gradients;

        public Buffers(int maxRows, Conv2d layer, bool withGradients) : base(maxRows, layer.Output.Size, withGradients)
        {
            (_layer, _gradients) = (layer, withGradients);
            Size(maxRows);
        }

        public float[] ColsData { get; private set; } = [];
        public float[] ProductData { get; private set; } = [];
        public float[] DColsData => _dCols ?? throw new InvalidOperationException("the workspace was created without gradients");
        private float[]? _dCols;
        /// <summary>Each group's dWᵀ (C·kh·kw × filters), group after group; the sum ends up in the first.</summary>
        public float[] WeightGradients { get; private set; } = [];
        /// <summary>Σ_p ∂L/∂Z[n, f, p] per sample and filter, for db.</summary>
        public double[] SampleSums { get; private set; } = [];

        public override long Floats => base.Floats + ColsData.LongLength + ProductData.LongLength + (_dCols?.LongLength ?? 0) +
            WeightGradients.LongLength + 2L * SampleSums.LongLength;

        public override void SetRows(int rows)
        {
            base.SetRows(rows);
            Size(rows);
        }

        /// <summary>Grows the buffers (never shrinks them) to what <paramref name="rows"/> samples need.</summary>
        private void Size(int rows)
        {
            Conv2d l = _layer;
            long regions = l.Regions, chunkColumns = (long)l.ChunkSamples * l.Positions;
            if (regions * l.Window * chunkColumns > ColsData.Length) ColsData = new float[regions * l.Window * chunkColumns];
            if (regions * l.Filters * chunkColumns > ProductData.Length) ProductData = new float[regions * l.Filters * chunkColumns];
            if (_gradients && regions * l.Window * chunkColumns > (_dCols?.Length ?? 0)) _dCols = new float[regions * l.Window * chunkColumns];
            if (_gradients && regions * l.Window * l.Filters > WeightGradients.Length) WeightGradients = new float[regions * l.Window * l.Filters];
            if (_gradients && (long)rows * l.Filters > SampleSums.Length) SampleSums = new double[rows * l.Filters];
        }
    }
}
