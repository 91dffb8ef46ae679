using System.Data;
using System.Data.Common;
using TrainingService.Data.Entities;

namespace TrainingService.Api.Rollups;

/// <summary>The one statement rollups are written with: a multi-row INSERT … ON CONFLICT DO UPDATE of whole buckets,
/// the same text on SQLite (3.24+) and PostgreSQL. Columns are those of <see cref="StepRollup"/>.</summary>
public static class RollupSql
{
    /// <summary>21 parameters a row: 100 rows stay far below either database's parameter limit.</summary>
    public const int RowsPerStatement = 100;

    private static readonly string[] Columns =
    [
        "RunId", "Level", "Bucket", "FirstStep", "LastStep", "Count", "Epoch", "LossMin", "LossMax", "LossSum", "LossLast",
        "GradCount", "GradNormMin", "GradNormMax", "GradNormSum", "GradNormLast", "LayerGradNorms", "LearningRate", "ElapsedMs",
        "LossEvaluations", "ExamplesSeen",
    ];

    private static readonly string Updates = string.Join(", ",
        Columns.Skip(3).Select(c => $"\"{c}\" = excluded.\"{c}\""));

    public static void BuildUpsert(DbCommand command, IReadOnlyList<StepRollup> rows)
    {
        var values = new List<string>(rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            object?[] v =
            [
                r.RunId, r.Level, r.Bucket, r.FirstStep, r.LastStep, r.Count, r.Epoch, r.LossMin, r.LossMax, r.LossSum, r.LossLast,
                r.GradCount, r.GradNormMin, r.GradNormMax, r.GradNormSum, r.GradNormLast, r.LayerGradNorms, r.LearningRate, r.ElapsedMs,
                r.LossEvaluations, r.ExamplesSeen,
            ];
            var names = new string[v.Length];
            for (int c = 0; c < v.Length; c++)
            {
                var p = command.CreateParameter();
                p.ParameterName = names[c] = $"@p{i}_{c}";
                p.Value = v[c] ?? DBNull.Value;
                p.DbType = v[c] switch
                {
                    long => DbType.Int64, int => DbType.Int32, double => DbType.Double, string => DbType.String,
                    _ => Columns[c] is "LossEvaluations" or "ExamplesSeen" ? DbType.Int64 : DbType.Double,
                };
                command.Parameters.Add(p);
            }
            values.Add("(" + string.Join(", ", names) + ")");
        }
        command.CommandText =
            $"INSERT INTO \"StepRollups\" ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) VALUES {string.Join(", ", values)} " +
            $"ON CONFLICT (\"RunId\", \"Level\", \"Bucket\") DO UPDATE SET {Updates}";
    }
}
