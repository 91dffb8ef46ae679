using System.Diagnostics;
using TrainingService.Engine.Gradients;
using TrainingService.Engine.Training.Steppers;

namespace TrainingService.Engine.Training;

public sealed partial class TrainingSession
{
    private Batch? _batch;
    private int[]? _order;
    private Saturation? _saturation;
    private float[]? _point;

    /// <summary>
    /// Trains from the current position to the last epoch (or early stop, cancellation, divergence): for each epoch,
    /// shuffle; for each batch, gather, step (<see cref="Stepper"/>: the mode's forward, gradient and update), record;
    /// then evaluate, schedule, stop early. <paramref name="cancellationToken"/> is checked between steps and, inside
    /// the steps that can take minutes (numerical gradients, the gradient check, search populations), between their
    /// loss evaluations.
    /// </summary>
    public TrainingResult Run(ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        EnsureBuffers();
        var s = _state;
        GradientCheckResult? check = null;
        var clock = Stopwatch.StartNew();
        double secondsAtStart = s.TrainSeconds;
        var evaluator = new Evaluator(Network, Loss);

        try
        {
            // Resumed from the checkpoint of the epoch that stopped the run (stored before the end was): stop as it did.
            if (PatienceRanOut) return StopEarly(evaluator, clock, secondsAtStart, check);
            // The range test ends on its steps (or the loss exploding), whatever epochs says.
            while (s.Epoch < Spec.Epochs!.Value || _range is not null)
            {
                int epoch = s.Epoch + 1;
                Stepper.StartEpoch(_schedule.Current);
                for (int i = 0; i < _order!.Length; i++) _order[i] = i;
                _batchRng.Shuffle(_order);
                double lossSum = 0; long correct = 0;
                for (int start = 0; start < Train.Count; start += BatchSize)
                {
                    if (cancellationToken.IsCancellationRequested)
                        return Finish(RunOutcome.Cancelled, $"cancelled at step {s.Step}", evaluator, clock, secondsAtStart, null, check);
                    int rows = Math.Min(BatchSize, Train.Count - start);
                    _batch!.Gather(Train, _order.AsSpan(start, rows));

                    if (_range is not null) Stepper.StartEpoch(_schedule.RateAtStep(s.Step + 1));
                    var step = Stepper.Step(_batch, cancellationToken);
                    s.LossEvaluations += step.Evaluations;
                    if (step.Check is not null)
                    {
                        check = step.Check;
                        observer?.OnGradientCheck(check);
                    }
                    if (_range is not null && _range.Record(step.Loss))
                        return Finish(RunOutcome.Succeeded, null, evaluator, clock, secondsAtStart, null, check);
                    if (!double.IsFinite(step.Loss))
                        return Finish(RunOutcome.Diverged, $"loss became {(double.IsNaN(step.Loss) ? "NaN" : "infinite")} at step {s.Step + 1} (epoch {epoch}); try a smaller learning rate",
                            evaluator, clock, secondsAtStart, null, check);

                    s.Step++;
                    s.SamplesSeen += rows;
                    lossSum += step.Loss * rows;
                    correct += step.Correct;
                    if (_point is not null) Network.CopyParametersTo(_point);
                    observer?.OnStep(new StepMetrics(s.Step, epoch, step.Loss, step.Norm, step.LayerNorms, Stepper.Rate,
                        (secondsAtStart + clock.Elapsed.TotalSeconds) * 1000, s.LossEvaluations) { Point = _point, ExamplesSeen = s.SamplesSeen });
                    if (_range is { Done: true }) return Finish(RunOutcome.Succeeded, null, evaluator, clock, secondsAtStart, null, check);
                }

                var (valLoss, valAcc) = evaluator.Evaluate(Validation);
                double trainLoss = lossSum / Train.Count;
                double? trainAcc = Train.Labels is null ? null : (double)correct / Train.Count;
                s.LastEpoch = new EpochMetrics(epoch, trainLoss, trainAcc, valLoss, valAcc, Stepper.Rate)
                {
                    SaturatedFraction = _saturation!.Measure(Train),
                };
                _schedule.OnEpochEnd(epoch, valLoss ?? trainLoss);
                s.Epoch = epoch;
                bool stop = EarlyStop(valLoss);
                observer?.OnEpoch(s.LastEpoch, this); // its checkpoint holds the weights as trained, the best ones beside them
                if (stop) return StopEarly(evaluator, clock, secondsAtStart, check);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Inside a step: the weights are those before it (the loops restore what they perturb).
            return Finish(RunOutcome.Cancelled, $"cancelled in step {s.Step + 1}", evaluator, clock, secondsAtStart, null, check);
        }
        return Finish(RunOutcome.Succeeded, null, evaluator, clock, secondsAtStart, null, check);
    }

    /// <summary>Records the epoch just ended if it improved on the best validation loss (its weights too, when they are
    /// to be restored); returns whether patience has run out.</summary>
    private bool EarlyStop(double? validationLoss)
    {
        var s = _state;
        if (Spec.EarlyStopping is not { } es || validationLoss is not { } v) return false;
        if (v < s.EarlyStopBest - es.MinDelta!.Value)
        {
            (s.EarlyStopBest, s.EarlyStopBadEpochs, s.BestEpoch, s.BestEpochMetrics) = (v, 0, s.Epoch, s.LastEpoch);
            if (es.RestoreBestWeights == true) Network.CopyParametersTo(s.BestParameters ??= new float[Network.ParameterCount]);
            return false;
        }
        return ++s.EarlyStopBadEpochs >= es.Patience!.Value;
    }

    private bool PatienceRanOut => Spec.EarlyStopping is { } es && _state.EarlyStopBadEpochs >= es.Patience!.Value;

    /// <summary>Ends the run at the current epoch, back on the best epoch's weights when restoreBestWeights is set.</summary>
    private TrainingResult StopEarly(Evaluator evaluator, Stopwatch clock, double secondsAtStart, GradientCheckResult? check)
    {
        bool restore = Spec.EarlyStopping!.RestoreBestWeights == true && _state.BestParameters is not null;
        if (restore) Network.SetFlatParameters(_state.BestParameters);
        return Finish(RunOutcome.Succeeded, null, evaluator, clock, secondsAtStart, Epoch, check, restore ? _state.BestEpochMetrics : null);
    }

    /// <summary>The result; the test split is evaluated on the network's current weights (the best epoch's when
    /// <paramref name="kept"/>, that epoch's metrics, is given), the train/validation figures are those of <paramref name="kept"/>
    /// or else of the last epoch.</summary>
    private TrainingResult Finish(RunOutcome outcome, string? error, Evaluator evaluator, Stopwatch clock, double secondsAtStart, int? earlyStoppedAt,
        GradientCheckResult? check, EpochMetrics? kept = null)
    {
        var s = _state;
        s.TrainSeconds = secondsAtStart + clock.Elapsed.TotalSeconds;
        var (testLoss, testAcc) = outcome == RunOutcome.Diverged ? (null, null) : evaluator.Evaluate(Test);
        var figures = kept ?? s.LastEpoch;
        var summary = new TrainingSummary(
            figures?.TrainLoss, figures?.ValidationLoss, testLoss,
            figures?.TrainAccuracy, figures?.ValidationAccuracy, testAcc,
            s.Step, s.TrainSeconds, s.TrainSeconds > 0 ? s.SamplesSeen / s.TrainSeconds : 0);
        if (_range?.Suggest() is { } found)
            summary = summary with { SuggestedLearningRate = found.Suggested, SteepestLearningRate = found.Steepest, MinimumLearningRateOverTen = found.MinimumOverTen };
        return new TrainingResult(outcome, summary, error, s.Epoch, earlyStoppedAt, check) { BestEpoch = s.BestEpoch };
    }

    private void EnsureBuffers()
    {
        if (_batch is not null) return;
        _batch = new Batch(BatchSize, Train.Features, Train.TargetWidth, Train.Labels is not null);
        _order = new int[Train.Count];
        _saturation = new Saturation(Network);
        _point = Network.ParameterCount == 2 ? new float[2] : null;
    }
}
