// Hand-written (Microsoft.EntityFrameworkCore.Design does not restore here): TrainingDbContext as the Npgsql provider
// sees it. The API tests' PostgreSQL drift test fails on any difference from TrainingDbContext.OnModelCreating.
using System;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations.Postgres
{
    [DbContext(typeof(TrainingDbContext))]
    partial class TrainingDbContextModelSnapshot : ModelSnapshot
    {
        protected override void BuildModel(ModelBuilder modelBuilder)
        {
#pragma warning disable 612, 618
            modelBuilder
                .HasAnnotation("ProductVersion", "10.0.14")
                .HasAnnotation("Relational:MaxIdentifierLength", 63);
            NpgsqlModelBuilderExtensions.UseIdentityByDefaultColumns(modelBuilder);

            modelBuilder.Entity("TrainingService.Data.Entities.EpochMetric", b =>
                {
                    b.Property<long>("RunId").HasColumnType("bigint");
                    b.Property<int>("Epoch").HasColumnType("integer");
                    b.Property<double>("LearningRate").HasColumnType("double precision");
                    b.Property<string>("SaturatedFraction").HasColumnType("text");
                    b.Property<double?>("TrainAccuracy").HasColumnType("double precision");
                    b.Property<double>("TrainLoss").HasColumnType("double precision");
                    b.Property<double?>("ValidationAccuracy").HasColumnType("double precision");
                    b.Property<double?>("ValidationLoss").HasColumnType("double precision");
                    b.HasKey("RunId", "Epoch");
                    b.ToTable("EpochMetrics");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.Run", b =>
                {
                    b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType("bigint");
                    NpgsqlPropertyBuilderExtensions.UseIdentityByDefaultColumn(b.Property<long>("Id"));
                    b.Property<int>("Attempts").HasColumnType("integer");
                    b.Property<DateTime>("CreatedAt").HasColumnType("timestamp with time zone");
                    b.Property<int>("Epoch").HasColumnType("integer");
                    b.Property<string>("Error").HasColumnType("text");
                    b.Property<DateTime?>("FinishedAt").HasColumnType("timestamp with time zone");
                    b.Property<DateTime?>("LeaseExpiresAt").HasColumnType("timestamp with time zone");
                    b.Property<string>("LeaseOwner").HasMaxLength(200).HasColumnType("character varying(200)");
                    b.Property<string>("Name").IsRequired().HasMaxLength(200).HasColumnType("character varying(200)");
                    b.Property<long?>("RaceId").HasColumnType("bigint");
                    b.Property<string>("SpecJson").IsRequired().HasColumnType("text");
                    b.Property<DateTime?>("StartedAt").HasColumnType("timestamp with time zone");
                    b.Property<string>("Status").IsRequired().HasMaxLength(16).HasColumnType("character varying(16)");
                    b.Property<long>("Step").HasColumnType("bigint");
                    b.Property<long>("StorageBytes").HasColumnType("bigint");
                    b.Property<long?>("RawStepsThinnedAfter").HasColumnType("bigint");
                    b.Property<string>("SummaryJson").HasColumnType("text");
                    b.Property<long>("TotalSteps").HasColumnType("bigint");
                    b.HasKey("Id");
                    b.HasIndex("RaceId");
                    b.HasIndex("Status", "Id");
                    b.ToTable("Runs");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.Race", b =>
                {
                    b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType("bigint");
                    NpgsqlPropertyBuilderExtensions.UseIdentityByDefaultColumn(b.Property<long>("Id"));
                    b.Property<DateTime>("CreatedAt").HasColumnType("timestamp with time zone");
                    b.Property<string>("Name").IsRequired().HasMaxLength(200).HasColumnType("character varying(200)");
                    b.HasKey("Id");
                    b.ToTable("Races");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunCheckpoint", b =>
                {
                    b.Property<long>("RunId").HasColumnType("bigint");
                    b.Property<DateTime>("CreatedAt").HasColumnType("timestamp with time zone");
                    b.Property<byte[]>("Data").IsRequired().HasColumnType("bytea");
                    b.Property<int>("Epoch").HasColumnType("integer");
                    b.Property<long>("Step").HasColumnType("bigint");
                    b.HasKey("RunId");
                    b.ToTable("Checkpoints");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunModel", b =>
                {
                    b.Property<long>("RunId").HasColumnType("bigint");
                    b.Property<string>("Json").IsRequired().HasColumnType("text");
                    b.HasKey("RunId");
                    b.ToTable("Models");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunTag", b =>
                {
                    b.Property<long>("RunId").HasColumnType("bigint");
                    b.Property<string>("Tag").HasMaxLength(50).HasColumnType("character varying(50)");
                    b.HasKey("RunId", "Tag");
                    b.HasIndex("Tag");
                    b.ToTable("RunTags");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.StepRollup", b =>
                {
                    b.Property<long>("RunId").HasColumnType("bigint");
                    b.Property<int>("Level").HasColumnType("integer");
                    b.Property<long>("Bucket").HasColumnType("bigint");
                    b.Property<long>("FirstStep").HasColumnType("bigint");
                    b.Property<long>("LastStep").HasColumnType("bigint");
                    b.Property<int>("Count").HasColumnType("integer");
                    b.Property<int>("Epoch").HasColumnType("integer");
                    b.Property<double>("LossMin").HasColumnType("double precision");
                    b.Property<double>("LossMax").HasColumnType("double precision");
                    b.Property<double>("LossSum").HasColumnType("double precision");
                    b.Property<double>("LossLast").HasColumnType("double precision");
                    b.Property<int>("GradCount").HasColumnType("integer");
                    b.Property<double?>("GradNormMin").HasColumnType("double precision");
                    b.Property<double?>("GradNormMax").HasColumnType("double precision");
                    b.Property<double?>("GradNormSum").HasColumnType("double precision");
                    b.Property<double?>("GradNormLast").HasColumnType("double precision");
                    b.Property<string>("LayerGradNorms").IsRequired().HasColumnType("text");
                    b.Property<double>("LearningRate").HasColumnType("double precision");
                    b.Property<double>("ElapsedMs").HasColumnType("double precision");
                    b.Property<long?>("LossEvaluations").HasColumnType("bigint");
                    b.Property<long?>("ExamplesSeen").HasColumnType("bigint");
                    b.HasKey("RunId", "Level", "Bucket");
                    b.ToTable("StepRollups");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.StepMetric", b =>
                {
                    b.Property<long>("RunId").HasColumnType("bigint");
                    b.Property<long>("Step").HasColumnType("bigint");
                    b.Property<double>("ElapsedMs").HasColumnType("double precision");
                    b.Property<int>("Epoch").HasColumnType("integer");
                    b.Property<double?>("GradNorm").HasColumnType("double precision");
                    b.Property<string>("LayerGradNorms").IsRequired().HasColumnType("text");
                    b.Property<double>("LearningRate").HasColumnType("double precision");
                    b.Property<double>("Loss").HasColumnType("double precision");
                    b.Property<string>("Point").HasColumnType("text");
                    b.Property<long?>("LossEvaluations").HasColumnType("bigint");
                    b.Property<long?>("ExamplesSeen").HasColumnType("bigint");
                    b.HasKey("RunId", "Step");
                    b.ToTable("StepMetrics");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.EpochMetric", b =>
                {
                    b.HasOne("TrainingService.Data.Entities.Run", null)
                        .WithMany()
                        .HasForeignKey("RunId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunCheckpoint", b =>
                {
                    b.HasOne("TrainingService.Data.Entities.Run", null)
                        .WithOne()
                        .HasForeignKey("TrainingService.Data.Entities.RunCheckpoint", "RunId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunModel", b =>
                {
                    b.HasOne("TrainingService.Data.Entities.Run", null)
                        .WithOne()
                        .HasForeignKey("TrainingService.Data.Entities.RunModel", "RunId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunTag", b =>
                {
                    b.HasOne("TrainingService.Data.Entities.Run", null)
                        .WithMany("Tags")
                        .HasForeignKey("RunId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("TrainingService.Data.Entities.StepRollup", b =>
                {
                    b.HasOne("TrainingService.Data.Entities.Run", null)
                        .WithMany()
                        .HasForeignKey("RunId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("TrainingService.Data.Entities.StepMetric", b =>
                {
                    b.HasOne("TrainingService.Data.Entities.Run", null)
                        .WithMany()
                        .HasForeignKey("RunId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("TrainingService.Data.Entities.Run", b =>
                {
                    b.Navigation("Tags");
                });
#pragma warning restore 612, 618
        }
    }
}
