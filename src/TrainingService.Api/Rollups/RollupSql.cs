using System.Data;
using System.Data.Common;
using Npgsql;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>
/// Rollup rows are written with INSERT … ON CONFLICT DO UPDATE of whole buckets (the same SQL on SQLite 3.24+ and
/// PostgreSQL). SQLite runs in process: one prepared single-row statement, re-bound per row, is cheapest. PostgreSQL
/// pays a round trip per statement: rows go 100 to a statement. Columns are those of <see cref="StepRollup"/>.
/// </summary>
public static class RollupSql
{
    public const int RowsPerStatement = 100;

    private static readonly string[] Columns =
    [
        "RunId", "Level", "Bucket", "FirstStep", "LastStep", "Count", "Epoch", "LossMin", "LossMax", "LossSum", "LossLast",
        "GradCount", "GradNormMin", "GradNormMax", "GradNormSum", "GradNormLast", "LayerGradNorms", "LearningRate", "ElapsedMs",
        "LossEvaluations", "ExamplesSeen",
    ];

    private static readonly DbType[] Types =
    [
        DbType.Int64, DbType.Int32, DbType.Int64, DbType.Int64, DbType.Int64, DbType.Int32, DbType.Int32, DbType.Double, DbType.Double, DbType.Double, DbType.Double,
        DbType.Int32, DbType.Double, DbType.Double, DbType.Double, DbType.Double, DbType.String, DbType.Double, DbType.Double,
        DbType.Int64, DbType.Int64,
    ];

    private static readonly string Head = $"INSERT INTO \"StepRollups\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES ";
    private static readonly string Tail = " ON CONFLICT (\"RunId\", \"Level\", \"Bucket\") DO UPDATE SET " +
        string.Join(", ", Columns.Skip(3).Select(c => $"\"{c}\" = excluded.\"{c}\""));

    public static async Task UpsertAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<StepRollup> rows, CancellationToken ct)
    {
        if (connection is NpgsqlConnection)
        {
            for (int start = 0; start < rows.Count; start += RowsPerStatement)
            {
                int count = Math.Min(RowsPerStatement, rows.Count - start);
                await using var command = Command(connection, transaction, count);
                for (int i = 0; i < count; i++) Bind(command.Parameters, i * Columns.Length, rows[start + i]);
                await command.ExecuteNonQueryAsync(ct);
            }
            return;
        }
        await using var single = Command(connection, transaction, 1);
        single.Prepare();
        foreach (var row in rows)
        {
            Bind(single.Parameters, 0, row);
            await single.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, int rowCount)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = new List<string>(rowCount);
        for (int i = 0; i < rowCount; i++)
        {
            var names = new string[Columns.Length];
            for (int c = 0; c < Columns.Length; c++)
            {
                var p = command.CreateParameter();
                p.ParameterName = names[c] = $"@p{i}_{c}";
                p.DbType = Types[c];
                command.Parameters.Add(p);
            }
            values.Add("(" + string.Join(", ", names) + ")");
        }
        command.CommandText = Head + string.Join(", ", values) + Tail;
        return command;
    }

    private static void Bind(DbParameterCollection p, int at, StepRollup r)
    {
        p[at + 0].Value = r.RunId; p[at + 1].Value = r.Level; p[at + 2].Value = r.Bucket; p[at + 3].Value = r.FirstStep;
        p[at + 4].Value = r.LastStep; p[at + 5].Value = r.Count; p[at + 6].Value = r.Epoch; p[at + 7].Value = r.LossMin;
        p[at + 8].Value = r.LossMax; p[at + 9].Value = r.LossSum; p[at + 10].Value = r.LossLast; p[at + 11].Value = r.GradCount;
        p[at + 12].Value = (object?)r.GradNormMin ?? DBNull.Value; p[at + 13].Value = (object?)r.GradNormMax ?? DBNull.Value;
        p[at + 14].Value = (object?)r.GradNormSum ?? DBNull.Value; p[at + 15].Value = (object?)r.GradNormLast ?? DBNull.Value;
        p[at + 16].Value = r.LayerGradNorms; p[at + 17].Value = r.LearningRate; p[at + 18].Value = r.ElapsedMs;
        p[at + 19].Value = (object?)r.LossEvaluations ?? DBNull.Value; p[at + 20].Value = (object?)r.ExamplesSeen ?? DBNull.Value;
    }
}
