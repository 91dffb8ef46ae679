using System.Threading.Channels;

namespace TrainingService.Api.Worker;

/// <summary>
/// The bounded channel between the training thread (one writer) and the pump (one reader). The training thread only
/// copies into it; when storage falls behind it blocks, never drops.
/// </summary>
internal sealed class MetricChannel
{
    /// <summary>Items the channel holds, and the most steps one flush stores.</summary>
    public const int Capacity = 16_384;

    private readonly Channel<PumpItem> _channel = Channel.CreateBounded<PumpItem>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
    });

    public ChannelReader<PumpItem> Reader => _channel.Reader;

    /// <summary>From the training thread.</summary>
    public void Write(PumpItem item)
    {
        if (!_channel.Writer.TryWrite(item))
            _channel.Writer.WriteAsync(item).AsTask().GetAwaiter().GetResult(); // back-pressure, no loss
    }

    /// <summary>No more items: the reader drains what is left and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Storing failed: close the channel so a training thread blocked on a full channel wakes (with
    /// <see cref="ChannelClosedException"/>), and drop what is left.</summary>
    public void Fail(Exception reason)
    {
        _channel.Writer.TryComplete(reason);
        while (_channel.Reader.TryRead(out _)) { }
    }
}
