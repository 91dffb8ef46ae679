using System.Diagnostics;
using TrainingService.Engine.Gradients;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Optimizers;
using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Training;

public sealed partial class TrainingSession
{
    private Workspace? _ws, _evalWs;
    private Matrix? _x;
    private float[]? _t;
    private int[]? _labels, _order;
    private double[]? _layerNorms, _parameterSquares;
    private Func<double>? _batchLoss;
    private Saturation? _saturation;
    private float[]? _point;

    /// <summary>
    /// Trains from the current position to the last epoch (or early stop, cancellation, divergence).
    /// Per step: forward, loss, gradient (backprop or central differences), norms, clipping, update.
    /// <paramref name="cancellationToken"/> is checked between steps and, inside the steps that can take minutes
    /// (numerical gradients, the gradient check, search populations), between their loss evaluations.
    /// </summary>
    public TrainingResult Run(ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        EnsureBuffers();
        GradientCheckResult? check = null;
        var clock = Stopwatch.StartNew();
        double secondsAtStart = _trainSeconds;
        int epochs = Spec.Epochs!.Value;
        bool numerical = Spec.Gradient == "numerical";
        double clip = Spec.Optimizer!.ClipNorm ?? 0;
        var evaluator = new Evaluator(Network, Loss);

        try
        {
            // Resumed from the checkpoint of the epoch that stopped the run (stored before the end was): stop as it did.
            if (PatienceRanOut) return StopEarly(evaluator, clock, secondsAtStart, check);
            while (Epoch < epochs)
            {
                int epoch = Epoch + 1;
                if (Optimizer is not null) Optimizer.LearningRate = _schedule.Current;
                for (int i = 0; i < _order!.Length; i++) _order[i] = i;
                _batchRng.Shuffle(_order);
                double lossSum = 0; long correct = 0;
                for (int start = 0; start < Train.Count; start += BatchSize)
                {
                    if (cancellationToken.IsCancellationRequested)
                        return Finish(RunOutcome.Cancelled, $"cancelled at step {Step}", evaluator, clock, secondsAtStart, null, check);
                    int rows = Math.Min(BatchSize, Train.Count - start);
                    Gather(_order.AsSpan(start, rows));

                    double loss;
                    double? norm = null;
                    if (Search is not null)
                    {
                        loss = Search.Step(_batchLoss!, out long evaluations, cancellationToken);
                        _lossEvaluations += evaluations;
                        if (Train.Labels is not null) correct += Accuracy.CountCorrect(Network.Forward(_x!, _evalWs!), _labels.AsSpan(0, rows));
                    }
                    else if (Surface is not null)
                        loss = Surface.Evaluate(Network); // f and its exact gradient at (w, b)
                    else
                    {
                        Matrix output = Network.Forward(_x!, _ws!);
                        loss = Loss.Evaluate(_ws!.Z[^1], output, _t.AsSpan(0, rows * Train.TargetWidth), Network.OutputActivation, _ws.DZ[^1].Span);
                        if (Train.Labels is not null) correct += Accuracy.CountCorrect(output, _labels.AsSpan(0, rows));
                    }
                    if (!double.IsFinite(loss))
                        return Finish(RunOutcome.Diverged, $"loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at step {Step + 1} (epoch {epoch}); try a smaller learning rate",
                            evaluator, clock, secondsAtStart, null, check);
                    if (Optimizer is not null)
                    {
                        if (numerical) _lossEvaluations += 1 + NumericalGradient.Compute(Network.Parameters, _batchLoss!, cancellationToken: cancellationToken);
                        else if (Surface is not null) _lossEvaluations++;
                        else
                        {
                            Network.Backward(_x!, _ws!);
                            _lossEvaluations++;
                            if (Step == 0 && Spec.GradientCheck == true)
                            {
                                check = GradientCheck.Run(Network, _x!.ReadOnly, rows, _t.AsSpan(0, rows * Train.TargetWidth), Loss.Name, Spec.Seed!.Value, cancellationToken);
                                observer?.OnGradientCheck(check);
                            }
                        }
                        if (clip > 0)
                        {
                            // The norm is needed before the update: its own pass over the gradients.
                            for (int i = 0; i < _parameterSquares!.Length; i++) _parameterSquares[i] = Optimizer.SquaredNorm(Network.Parameters[i].Grad);
                            norm = GradientNorms(_parameterSquares, _layerNorms!);
                            if (norm > clip)
                                foreach (var p in Network.Parameters) Kernels.Scale(p.Grad, (float)(clip / (norm.Value + 1e-6)));
                            Optimizer.Step(Network.Parameters);
                        }
                        else
                        {
                            // The update pass sums the squares as it goes (same values as above, no second pass).
                            Optimizer.Step(Network.Parameters, _parameterSquares);
                            norm = GradientNorms(_parameterSquares!, _layerNorms!);
                        }
                    }
                    Step++;
                    _samplesSeen += rows;
                    lossSum += loss * rows;
                    if (_point is not null) Network.CopyParametersTo(_point);
                    observer?.OnStep(new StepMetrics(Step, epoch, loss, norm, norm is null ? ReadOnlyMemory<double>.Empty : _layerNorms, CurrentRate,
                        (secondsAtStart + clock.Elapsed.TotalSeconds) * 1000, _lossEvaluations) { Point = _point, ExamplesSeen = _samplesSeen });
                }

                var (valLoss, valAcc) = evaluator.Evaluate(Validation);
                double trainLoss = lossSum / Train.Count;
                double? trainAcc = Train.Labels is null ? null : (double)correct / Train.Count;
                _lastEpoch = new EpochMetrics(epoch, trainLoss, trainAcc, valLoss, valAcc, CurrentRate)
                {
                    SaturatedFraction = _saturation!.Measure(Train),
                };
                _schedule.OnEpochEnd(epoch, valLoss ?? trainLoss);
                Epoch = epoch;
                bool stop = EarlyStop(valLoss);
                observer?.OnEpoch(_lastEpoch, this); // its checkpoint holds the weights as trained, the best ones beside them
                if (stop) return StopEarly(evaluator, clock, secondsAtStart, check);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Inside a step: the weights are those before it (the loops restore what they perturb).
            return Finish(RunOutcome.Cancelled, $"cancelled in step {Step + 1}", evaluator, clock, secondsAtStart, null, check);
        }
        return Finish(RunOutcome.Succeeded, null, evaluator, clock, secondsAtStart, null, check);
    }

    /// <summary>The learning rate, or σ for a gradient-free run.</summary>
    private double CurrentRate => Optimizer?.LearningRate ?? Search!.StepScale;

    /// <summary>Records the epoch just ended if it improved on the best validation loss (its weights too, when they are
    /// to be restored); returns whether patience has run out.</summary>
    private bool EarlyStop(double? validationLoss)
    {
        if (Spec.EarlyStopping is not { } es || validationLoss is not { } v) return false;
        if (v < _earlyStopBest - es.MinDelta!.Value)
        {
            (_earlyStopBest, _earlyStopBadEpochs, _bestEpoch, _bestEpochMetrics) = (v, 0, Epoch, _lastEpoch);
            if (es.RestoreBestWeights == true) Network.CopyParametersTo(_bestParameters ??= new float[Network.ParameterCount]);
            return false;
        }
        return ++_earlyStopBadEpochs >= es.Patience!.Value;
    }

    private bool PatienceRanOut => Spec.EarlyStopping is { } es && _earlyStopBadEpochs >= es.Patience!.Value;

    /// <summary>Ends the run at the current epoch, back on the best epoch's weights when restoreBestWeights is set.</summary>
    private TrainingResult StopEarly(Evaluator evaluator, Stopwatch clock, double secondsAtStart, GradientCheckResult? check)
    {
        bool restore = Spec.EarlyStopping!.RestoreBestWeights == true && _bestParameters is not null;
        if (restore) Network.SetFlatParameters(_bestParameters);
        return Finish(RunOutcome.Succeeded, null, evaluator, clock, secondsAtStart, Epoch, check, restore ? _bestEpochMetrics : null);
    }

    /// <summary>The result; the test split is evaluated on the network's current weights (the best epoch's when
    /// <paramref name="kept"/>, that epoch's metrics, is given), the train/validation figures are those of <paramref name="kept"/>
    /// or else of the last epoch.</summary>
    private TrainingResult Finish(RunOutcome outcome, string? error, Evaluator evaluator, Stopwatch clock, double secondsAtStart, int? earlyStoppedAt,
        GradientCheckResult? check, EpochMetrics? kept = null)
    {
        _trainSeconds = secondsAtStart + clock.Elapsed.TotalSeconds;
        var (testLoss, testAcc) = outcome == RunOutcome.Diverged ? (null, null) : evaluator.Evaluate(Test);
        var figures = kept ?? _lastEpoch;
        var summary = new TrainingSummary(
            figures?.TrainLoss, figures?.ValidationLoss, testLoss,
            figures?.TrainAccuracy, figures?.ValidationAccuracy, testAcc,
            Step, _trainSeconds, _trainSeconds > 0 ? _samplesSeen / _trainSeconds : 0);
        return new TrainingResult(outcome, summary, error, Epoch, earlyStoppedAt, check) { BestEpoch = _bestEpoch };
    }

    /// <summary>Per-layer ‖(dW, db)‖₂ into <paramref name="layerNorms"/> from the parameters' ‖g‖² (W₁, b₁, W₂, …);
    /// returns the global norm.</summary>
    private static double GradientNorms(double[] parameterSquares, double[] layerNorms)
    {
        double total = 0;
        for (int l = 0; l < layerNorms.Length; l++)
        {
            double sq = parameterSquares[2 * l] + parameterSquares[2 * l + 1];
            layerNorms[l] = Math.Sqrt(sq);
            total += sq;
        }
        return Math.Sqrt(total);
    }

    /// <summary>Copies the rows named by <paramref name="indices"/> into the batch buffers.</summary>
    private void Gather(ReadOnlySpan<int> indices)
    {
        int tw = Train.TargetWidth;
        _x!.SetRows(indices.Length);
        Kernels.GatherRows(Train.X, Train.Features, indices, _x.Data);
        for (int r = 0; r < indices.Length; r++)
        {
            int i = indices[r];
            Train.Targets.AsSpan(i * tw, tw).CopyTo(_t.AsSpan(r * tw, tw));
            if (Train.Labels is not null) _labels![r] = Train.Labels[i];
        }
    }

    private void EnsureBuffers()
    {
        if (_ws is not null) return;
        _ws = Network.CreateWorkspace(BatchSize, withGradients: true);
        _evalWs = Network.CreateWorkspace(BatchSize, withGradients: false);
        _x = new Matrix(BatchSize, Train.Features);
        _t = new float[BatchSize * Train.TargetWidth];
        _labels = new int[BatchSize];
        _order = new int[Train.Count];
        _layerNorms = new double[Network.Layers.Count];
        _parameterSquares = new double[Network.Parameters.Count];
        _saturation = new Saturation(Network);
        _point = Network.ParameterCount == 2 ? new float[2] : null;
        // The current batch's loss, forward only: what numerical gradients and the gradient check evaluate.
        _batchLoss = Surface is not null ? () => Surface.Value(Network) : () =>
        {
            Matrix output = Network.Forward(_x, _evalWs);
            return Loss.Evaluate(_evalWs.Z[^1], output, _t.AsSpan(0, _x.Rows * Train.TargetWidth), Network.OutputActivation, Span<float>.Empty);
        };
    }
}
