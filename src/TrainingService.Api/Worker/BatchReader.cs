using System.Diagnostics;
using TrainingService.Api.Rollups;

namespace TrainingService.Api.Worker;

/// <summary>
/// The pump's reader loop: waits for items, lets a batch gather for about <c>flushInterval</c> (or at most
/// <see cref="MetricChannel.Capacity"/> steps), feeds each step to the rollups as it is read and hands the batch to be
/// stored. Runs until the channel is completed and drained.
/// </summary>
internal sealed class BatchReader(MetricChannel channel, RollupWriter rollups, TimeSpan flushInterval)
{
    public async Task ReadAsync(Func<MetricBatch, Task> flush)
    {
        var reader = channel.Reader;
        var clock = Stopwatch.StartNew();
        var batch = new MetricBatch();
        while (await reader.WaitToReadAsync())
        {
            // Let a batch gather, unless the engine has finished (then store the rest at once).
            var wait = flushInterval - clock.Elapsed;
            if (wait > TimeSpan.Zero && !reader.Completion.IsCompleted)
                await Task.WhenAny(Task.Delay(wait), reader.Completion);
            clock.Restart();
            while (reader.TryRead(out var item))
            {
                if (item is StepItem s)
                {
                    batch.Steps.Add(s.Point);
                    rollups.Add(s.Point);
                }
                else if (item is EpochItem e)
                {
                    batch.Epochs.Add(e);
                    if (e.Checkpoint is { } data)
                    {
                        batch.Checkpoint = new CheckpointItem(e.Point.Epoch, e.Step, data);
                        rollups.Checkpoint();
                    }
                }
                else if (item is CheckpointItem c)
                {
                    batch.Checkpoint = c;
                    rollups.Checkpoint();
                }
                if (batch.Steps.Count >= MetricChannel.Capacity) break;
            }
            await flush(batch);
            batch.Clear();
        }
    }
}
