using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations
{
    /// <summary>The engine's training diagnostics: each step's (w, b) for 2-parameter models (loss-landscape
    /// trajectories) and each epoch's saturated-unit fractions (vanishing gradients in sigmoid/tanh nets).</summary>
    [DbContext(typeof(TrainingDbContext))]
    [Migration("20261122000002_Diagnostics")]
    public partial class Diagnostics : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Point",
                table: "StepMetrics",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SaturatedFraction",
                table: "EpochMetrics",
                type: "TEXT",
                nullable: true);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Point", table: "StepMetrics");
            migrationBuilder.DropColumn(name: "SaturatedFraction", table: "EpochMetrics");
        }
    }
}
