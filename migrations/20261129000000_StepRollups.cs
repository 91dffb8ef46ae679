using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations
{
    /// <summary>Per-run rollups of the step metrics (buckets of 16·8^k steps: min, max, sum and last of loss and gradient norms), so a read of any range costs what it returns. Runs stored before get theirs from the start-up backfill (RollupBackfill). Runs gain StorageBytes (what their metrics take, about) and RawStepsThinnedAfter (Training__MaxStoredStepsPerRun).</summary>
    [DbContext(typeof(TrainingDbContext))]
    [Migration("20261129000000_StepRollups")]
    public partial class StepRollups : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(name: "StorageBytes", table: "Runs", type: "INTEGER", nullable: false, defaultValue: 0L);
            migrationBuilder.AddColumn<long>(name: "RawStepsThinnedAfter", table: "Runs", type: "INTEGER", nullable: true);
            migrationBuilder.CreateTable(
                name: "StepRollups",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Bucket = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstStep = table.Column<long>(type: "INTEGER", nullable: false),
                    LastStep = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Epoch = table.Column<int>(type: "INTEGER", nullable: false),
                    LossMin = table.Column<double>(type: "REAL", nullable: false),
                    LossMax = table.Column<double>(type: "REAL", nullable: false),
                    LossSum = table.Column<double>(type: "REAL", nullable: false),
                    LossLast = table.Column<double>(type: "REAL", nullable: false),
                    GradCount = table.Column<int>(type: "INTEGER", nullable: false),
                    GradNormMin = table.Column<double>(type: "REAL", nullable: true),
                    GradNormMax = table.Column<double>(type: "REAL", nullable: true),
                    GradNormSum = table.Column<double>(type: "REAL", nullable: true),
                    GradNormLast = table.Column<double>(type: "REAL", nullable: true),
                    LayerGradNorms = table.Column<string>(type: "TEXT", nullable: false),
                    LearningRate = table.Column<double>(type: "REAL", nullable: false),
                    ElapsedMs = table.Column<double>(type: "REAL", nullable: false),
                    LossEvaluations = table.Column<long>(type: "INTEGER", nullable: true),
                    ExamplesSeen = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StepRollups", x => new { x.RunId, x.Level, x.Bucket });
                    table.ForeignKey(name: "FK_StepRollups_Runs_RunId", column: x => x.RunId, principalTable: "Runs", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
                });
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "StepRollups");
            migrationBuilder.DropColumn(name: "StorageBytes", table: "Runs");
            migrationBuilder.DropColumn(name: "RawStepsThinnedAfter", table: "Runs");
        }
    }
}
