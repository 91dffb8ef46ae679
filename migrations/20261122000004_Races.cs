using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations
{
    /// <summary>Optimizer races: a Races table and each run's RaceId (indexed, no foreign key: adding one to an existing
    /// SQLite table means rebuilding it, and races are never deleted).</summary>
    [DbContext(typeof(TrainingDbContext))]
    [Migration("20261122000004_Races")]
    public partial class Races : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Races",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Races", x => x.Id);
                });

            migrationBuilder.AddColumn<long>(
                name: "RaceId",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Runs_RaceId",
                table: "Runs",
                column: "RaceId");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Runs_RaceId", table: "Runs");
            migrationBuilder.DropColumn(name: "RaceId", table: "Runs");
            migrationBuilder.DropTable(name: "Races");
        }
    }
}
