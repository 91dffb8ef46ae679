using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace TrainingService.Api.Hosting;

/// <summary>
/// Which database errors pass by themselves: the same work, tried again a little later, may well succeed. The worker
/// retries them (<c>Worker/StoreRetry</c>), reads answer 503 with <c>Retry-After</c> (<see cref="StoreUnavailableHandler"/>).
/// </summary>
public static class StoreFaults
{
    // SQLite primary result codes: another connection holds the lock (BUSY, LOCKED), the disk is full (FULL) or an
    // I/O error (IOERR, which a full disk can also give) — all gone once the lock is released or space freed.
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteIoErr = 10, SqliteFull = 13;

    /// <summary>True when <paramref name="e"/>, or an exception it wraps (EF Core wraps in DbUpdateException, or in
    /// "likely due to a transient failure"), is one.</summary>
    public static bool IsTransient(Exception e) => Transient(e) is not null;

    /// <summary>The transient fault's own message (EF Core's wrapper says only that there was one).</summary>
    public static string Reason(Exception e) => Transient(e)?.Message ?? e.Message;

    private static Exception? Transient(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (IsOne(x)) return x;
        }
        return null;
    }

    private static bool IsOne(Exception x) => x switch
    {
        StoreUnavailableException => true,
        SqliteException s => (s.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked or SqliteIoErr or SqliteFull,
        // Server restarting or shutting down (57P0x), connection lost (08xxx), out of resources or disk (53xxx).
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
                               || p.SqlState is "57P01" or "57P02" or "57P03" || p.IsTransient,
        // Npgsql: the connection broke (IOException, SocketException inside) or timed out.
        NpgsqlException n => n.IsTransient,
        TimeoutException or SocketException => true,
        _ => false,
    };
}

/// <summary>The database kept failing with transient errors for longer than <c>Training__StoreOutageSeconds</c>
/// (or the host is stopping): the worker hands the run back instead of failing it.</summary>
public sealed class StoreUnavailableException(string what, TimeSpan outage, Exception inner)
    : Exception($"{what}: the database has been unavailable for {outage.TotalSeconds:0.#} s ({StoreFaults.Reason(inner)})", inner);
