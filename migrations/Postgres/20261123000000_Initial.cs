using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations.Postgres
{
    /// <summary>The whole schema as of SQLite's Leases migration (PostgreSQL starts there, it has no older
    /// databases to upgrade): runs with their lease and race, races, tags, step metrics with their work counters,
    /// epoch metrics, checkpoints, models.</summary>
    [DbContext(typeof(TrainingDbContext))]
    [Migration("20261123000000_Initial")]
    public partial class Initial : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SpecJson = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<long>(type: "bigint", nullable: false),
                    TotalSteps = table.Column<long>(type: "bigint", nullable: false),
                    SummaryJson = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    RaceId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table => table.PrimaryKey("PK_Runs", x => x.Id));

            migrationBuilder.CreateTable(
                name: "Races",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table => table.PrimaryKey("PK_Races", x => x.Id));

            migrationBuilder.CreateTable(
                name: "Checkpoints",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<long>(type: "bigint", nullable: false),
                    Data = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Checkpoints", x => x.RunId);
                    table.ForeignKey(name: "FK_Checkpoints_Runs_RunId", column: x => x.RunId, principalTable: "Runs", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EpochMetrics",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    TrainLoss = table.Column<double>(type: "double precision", nullable: false),
                    TrainAccuracy = table.Column<double>(type: "double precision", nullable: true),
                    ValidationLoss = table.Column<double>(type: "double precision", nullable: true),
                    ValidationAccuracy = table.Column<double>(type: "double precision", nullable: true),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false),
                    SaturatedFraction = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EpochMetrics", x => new { x.RunId, x.Epoch });
                    table.ForeignKey(name: "FK_EpochMetrics_Runs_RunId", column: x => x.RunId, principalTable: "Runs", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Models",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Models", x => x.RunId);
                    table.ForeignKey(name: "FK_Models_Runs_RunId", column: x => x.RunId, principalTable: "Runs", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RunTags",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Tag = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunTags", x => new { x.RunId, x.Tag });
                    table.ForeignKey(name: "FK_RunTags_Runs_RunId", column: x => x.RunId, principalTable: "Runs", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StepMetrics",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Step = table.Column<long>(type: "bigint", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Loss = table.Column<double>(type: "double precision", nullable: false),
                    GradNorm = table.Column<double>(type: "double precision", nullable: true),
                    LayerGradNorms = table.Column<string>(type: "text", nullable: false),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false),
                    ElapsedMs = table.Column<double>(type: "double precision", nullable: false),
                    Point = table.Column<string>(type: "text", nullable: true),
                    LossEvaluations = table.Column<long>(type: "bigint", nullable: true),
                    ExamplesSeen = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StepMetrics", x => new { x.RunId, x.Step });
                    table.ForeignKey(name: "FK_StepMetrics_Runs_RunId", column: x => x.RunId, principalTable: "Runs", principalColumn: "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(name: "IX_Runs_Status_Id", table: "Runs", columns: new[] { "Status", "Id" });
            migrationBuilder.CreateIndex(name: "IX_RunTags_Tag", table: "RunTags", column: "Tag");
            migrationBuilder.CreateIndex(name: "IX_Runs_RaceId", table: "Runs", column: "RaceId");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Races");
            migrationBuilder.DropTable(name: "Checkpoints");
            migrationBuilder.DropTable(name: "EpochMetrics");
            migrationBuilder.DropTable(name: "Models");
            migrationBuilder.DropTable(name: "RunTags");
            migrationBuilder.DropTable(name: "StepMetrics");
            migrationBuilder.DropTable(name: "Runs");
        }
    }
}
