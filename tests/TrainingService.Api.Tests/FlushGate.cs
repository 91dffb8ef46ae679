using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TrainingService.Api.Tests;

/// <summary>
/// Holds a run mid-way, however fast the machine: once <see cref="Arm"/>ed, the metric pump's first flush (recognised
/// by its progress UPDATE, which sets "StorageBytes") goes through, and from then on every new transaction of the
/// service waits until <see cref="Open"/>. The engine can run only a bounded number of steps ahead of what is stored,
/// so a run long by steps is still short of its end when the test lays its fault and opens the gate.
/// </summary>
internal sealed class FlushGate : DbTransactionInterceptor, IDbCommandInterceptor
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _armed;

    /// <summary>Completes once a flush has been stored (begun, at least) and new transactions are held.</summary>
    public Task Closed => _closed.Task;

    public void Arm() => _armed = true;

    public void Open() => _open.TrySetResult();

    /// <summary>Waits for <see cref="Closed"/>, failing the test past <paramref name="seconds"/>.</summary>
    public async Task WaitClosedAsync(int seconds = 120) =>
        await Closed.WaitAsync(TimeSpan.FromSeconds(seconds));

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken ct = default)
    {
        if (_armed && command.CommandText.Contains("\"StorageBytes\"", StringComparison.Ordinal)) _closed.TrySetResult();
        return ValueTask.FromResult(result);
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken ct = default)
    {
        if (_closed.Task.IsCompleted) await _open.Task;
        return result;
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        if (_closed.Task.IsCompleted) _open.Task.GetAwaiter().GetResult();
        return result;
    }
}
