using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations
{
    /// <summary>Each step's running counters: loss evaluations (why gradient-free and numerical training cost what
    /// they cost) and examples seen (a fair x axis across batch sizes). Null for steps stored before.</summary>
    [DbContext(typeof(TrainingDbContext))]
    [Migration("20261122000003_StepCounters")]
    public partial class StepCounters : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LossEvaluations",
                table: "StepMetrics",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ExamplesSeen",
                table: "StepMetrics",
                type: "INTEGER",
                nullable: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "LossEvaluations", table: "StepMetrics");
            migrationBuilder.DropColumn(name: "ExamplesSeen", table: "StepMetrics");
        }
    }
}
