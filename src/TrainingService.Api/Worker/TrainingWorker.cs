using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Worker;

/// <summary>
/// <c>Training__WorkerConcurrency</c> slots, each claiming a run (<see cref="RunClaims"/>) and training it. On SQLite,
/// runs left <c>running</c> by a previous process (crash or shutdown) are resumed first; on PostgreSQL every poll
/// also claims runs whose worker's lease ran out. Stopping the host cancels the sessions; they stay <c>running</c>
/// and resume from their last epoch checkpoint. Nodes with <c>Training__Role=api</c> run no slots.
/// </summary>
public sealed class TrainingWorker(
    RunQueue queue,
    RunExecutor executor,
    RunClaims claims,
    WorkerHealth health,
    IOptions<TrainingOptions> options,
    ILogger<TrainingWorker> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly System.Collections.Concurrent.ConcurrentQueue<long> _resumes = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Trains) return; // an API-only node: runs stay queued for a worker node
        // Compile the engine's training step for the usual kind of run on a background thread while the host starts,
        // so that the first run of a fresh process does not train through the JIT (see JitWarmup).
        _ = JitWarmup.Start(JitWarmup.Typical);
        health.SetRunning(true);
        try
        {
            foreach (long id in await claims.TakeOverLeftRunningAsync(stoppingToken)) _resumes.Enqueue(id);
            var slots = Enumerable.Range(0, options.Value.WorkerConcurrency).Select(_ => Task.Run(() => SlotAsync(stoppingToken), CancellationToken.None));
            await Task.WhenAll(slots);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            health.SetRunning(false);
        }
    }

    private async Task SlotAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                long? runId = _resumes.TryDequeue(out long resume) ? resume : await claims.ClaimNextAsync(stoppingToken);
                if (runId is { } id) await executor.ExecuteAsync(id, stoppingToken);
                else await queue.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (StoreFaults.IsTransient(e))
            {
                log.LogWarning("worker slot: database unavailable ({Reason}); retrying", StoreFaults.Reason(e));
                await Task.Delay(Poll, CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogError(e, "worker slot error; retrying");
                await Task.Delay(Poll, CancellationToken.None);
            }
        }
    }
}
