using TrainingService.Api.Contracts;
using TrainingService.Engine.Layers;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>
/// The first conv2d layer's filters at every epoch end of a convolutional run, copied on the training thread between
/// steps (at most <see cref="FiltersPoint.MaxLiveValues"/> floats: a copy far cheaper than the epoch). Unlike the
/// decision grid (<see cref="BoundaryPolicy"/>) every epoch's is published, in order, so the dashboard's filter view
/// follows the epochs; a run whose view is larger than the bound pushes none (the panel reads it over REST).
/// </summary>
internal sealed class FiltersPolicy
{
    private (int Index, Conv2d Conv)? _first;
    private bool? _applies;

    /// <summary>This epoch end's filters, or null when the run has no conv2d layer or its view is too large to push.</summary>
    public FiltersPoint? At(TrainingSession session)
    {
        if (_applies is null)
        {
            _first = FiltersPoint.FirstConv(session.Network);
            _applies = _first is { Conv: var c } && c.Kernel.H * c.Kernel.W <= FiltersPoint.MaxKernelArea && FiltersPoint.ShownValues(c) <= FiltersPoint.MaxLiveValues;
        }
        return _applies == true ? FiltersPoint.Of(session.Epoch, _first!.Value.Index, _first.Value.Conv) : null;
    }
}
