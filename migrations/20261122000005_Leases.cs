using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations
{
    /// <summary>Scale-out: which worker holds a run, until when (renewed by its heartbeat), and how many claims the
    /// run has had. Runs stored before have no owner and zero attempts.</summary>
    [DbContext(typeof(TrainingDbContext))]
    [Migration("20261122000005_Leases")]
    public partial class Leases : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "LeaseOwner", table: "Runs", type: "TEXT", maxLength: 200, nullable: true);
            migrationBuilder.AddColumn<DateTime>(name: "LeaseExpiresAt", table: "Runs", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<int>(name: "Attempts", table: "Runs", type: "INTEGER", nullable: false, defaultValue: 0);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "LeaseOwner", table: "Runs");
            migrationBuilder.DropColumn(name: "LeaseExpiresAt", table: "Runs");
            migrationBuilder.DropColumn(name: "Attempts", table: "Runs");
        }
    }
}
