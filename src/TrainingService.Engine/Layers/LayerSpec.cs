namespace TrainingService.Engine.Layers;

/// <summary>One entry of <c>model.layers</c>: a layer kind (<see cref="LayerKind"/>) and the fields it
/// takes; its kind checks them against the shapes and builds the layer.</summary>
public sealed class LayerSpec
{
    public string? Type { get; set; }
    /// <summary>conv2d: output channels.</summary>
    public int? Filters { get; set; }
    /// <summary>conv2d, maxpool2d, avgpool2d: the window.</summary>
    public SizePair? Kernel { get; set; }
    /// <summary>conv2d (default 1), pools (default: the kernel).</summary>
    public SizePair? Stride { get; set; }
    /// <summary>conv2d: zeros around the input (default 0).</summary>
    public SizePair? Padding { get; set; }
    /// <summary>dense: outputs.</summary>
    public int? Units { get; set; }
    /// <summary>dropout: the fraction of values zeroed while training.</summary>
    public double? Rate { get; set; }

    /// <summary>A copy with <paramref name="stride"/> and <paramref name="padding"/> set where given.</summary>
    public LayerSpec With(SizePair? stride = null, SizePair? padding = null) => new()
    {
        Type = Type, Filters = Filters, Kernel = Kernel, Stride = stride ?? Stride, Padding = padding ?? Padding, Units = Units, Rate = Rate,
    };
}
