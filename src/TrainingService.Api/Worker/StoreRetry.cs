using System.Diagnostics;
using Microsoft.Extensions.Options;
using TrainingService.Api.Hosting;

namespace TrainingService.Api.Worker;

/// <summary>
/// The worker's database work through blips: a transient fault (<see cref="StoreFaults"/>) is retried after 50 ms,
/// doubling to 500 ms (a PostgreSQL restart is over in a second or two; the run waits little past it), until the
/// database has failed for <c>Training__StoreOutageSeconds</c>; then <see cref="StoreUnavailableException"/>, on which
/// the executor hands the run back rather than failing it. Other exceptions pass at once. The work must be safe to
/// repeat: one transaction (which the fault rolled back), or a check of what the earlier attempt stored when its
/// commit's fate is unknown. Writes' outcomes feed <see cref="StoreHealth"/> (/readyz).
/// </summary>
public sealed class StoreRetry(IOptions<TrainingOptions> options, StoreHealth health, ILogger<StoreRetry> log)
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(50), LongestWait = TimeSpan.FromMilliseconds(500);

    public TimeSpan Bound => TimeSpan.FromSeconds(options.Value.StoreOutageSeconds);

    /// <summary>A write: its failures make /readyz unhealthy until a write succeeds. <paramref name="stopping"/> (host
    /// shutdown) ends the retries at once: what was not stored is recomputed from the checkpoint at the resume.</summary>
    public async Task<T> WriteAsync<T>(string what, Func<Task<T>> work, CancellationToken stopping = default)
    {
        T result = await RunAsync(what, work, write: true, stopping);
        health.WriteSucceeded();
        return result;
    }

    public Task WriteAsync(string what, Func<Task> work, CancellationToken stopping = default) =>
        WriteAsync(what, async () => { await work(); return true; }, stopping);

    public Task<T> ReadAsync<T>(string what, Func<Task<T>> work, CancellationToken stopping = default) => RunAsync(what, work, write: false, stopping);

    private async Task<T> RunAsync<T>(string what, Func<Task<T>> work, bool write, CancellationToken stopping)
    {
        Stopwatch? outage = null;
        var wait = FirstWait;
        while (true)
        {
            try
            {
                return await work();
            }
            catch (Exception e) when (StoreFaults.IsTransient(e) && e is not StoreUnavailableException)
            {
                outage ??= Stopwatch.StartNew();
                if (write) health.WriteFailed(e);
                if (outage.Elapsed >= Bound || stopping.IsCancellationRequested) throw new StoreUnavailableException(what, outage.Elapsed, e);
                log.LogWarning("{What}: database unavailable for {Seconds:0.0} s ({Reason}); retrying", what, outage.Elapsed.TotalSeconds, StoreFaults.Reason(e));
                try { await Task.Delay(wait, stopping); }
                catch (OperationCanceledException) { throw new StoreUnavailableException(what, outage.Elapsed, e); }
                wait = wait * 2 < LongestWait ? wait * 2 : LongestWait;
            }
        }
    }
}
