// Hand-written (Microsoft.EntityFrameworkCore.Design does not restore here): keep it equal to
// TrainingDbContext.OnModelCreating. The API tests' drift test fails on any difference.
using System;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using TrainingService.Data;

#nullable disable

namespace TrainingService.Migrations
{
    [DbContext(typeof(TrainingDbContext))]
    partial class TrainingDbContextModelSnapshot : ModelSnapshot
    {
        protected override void BuildModel(ModelBuilder modelBuilder)
        {
#pragma warning disable 612, 618
            modelBuilder.HasAnnotation("ProductVersion", "10.0.14");

            modelBuilder.Entity("TrainingService.Data.Entities.EpochMetric", b =>
                {
                    b.Property<long>("RunId").HasColumnType("INTEGER");
                    b.Property<int>("Epoch").HasColumnType("INTEGER");
                    b.Property<double>("LearningRate").HasColumnType("REAL");
                    b.Property<string>("SaturatedFraction").HasColumnType("TEXT");
                    b.Property<double?>("TrainAccuracy").HasColumnType("REAL");
                    b.Property<double>("TrainLoss").HasColumnType("REAL");
                    b.Property<double?>("ValidationAccuracy").HasColumnType("REAL");
                    b.Property<double?>("ValidationLoss").HasColumnType("REAL");
                    b.HasKey("RunId", "Epoch");
                    b.ToTable("EpochMetrics");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.Race", b =>
                {
                    b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
                    b.Property<DateTime>("CreatedAt").HasColumnType("TEXT");
                    b.Property<string>("Name").IsRequired().HasMaxLength(200).HasColumnType("TEXT");
                    b.HasKey("Id");
                    b.ToTable("Races");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.Run", b =>
                {
                    b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
                    b.Property<int>("Attempts").HasColumnType("INTEGER");
                    b.Property<DateTime>("CreatedAt").HasColumnType("TEXT");
                    b.Property<int>("Epoch").HasColumnType("INTEGER");
                    b.Property<string>("Error").HasColumnType("TEXT");
                    b.Property<DateTime?>("FinishedAt").HasColumnType("TEXT");
                    b.Property<DateTime?>("LeaseExpiresAt").HasColumnType("TEXT");
                    b.Property<string>("LeaseOwner").HasMaxLength(200).HasColumnType("TEXT");
                    b.Property<string>("Name").IsRequired().HasMaxLength(200).HasColumnType("TEXT");
                    b.Property<long?>("RaceId").HasColumnType("INTEGER");
                    b.Property<string>("SpecJson").IsRequired().HasColumnType("TEXT");
                    b.Property<DateTime?>("StartedAt").HasColumnType("TEXT");
                    b.Property<string>("Status").IsRequired().HasMaxLength(16).HasColumnType("TEXT");
                    b.Property<long>("Step").HasColumnType("INTEGER");
                    b.Property<long>("StorageBytes").HasColumnType("INTEGER");
                    b.Property<long?>("RawStepsThinnedAfter").HasColumnType("INTEGER");
                    b.Property<string>("SummaryJson").HasColumnType("TEXT");
                    b.Property<long>("TotalSteps").HasColumnType("INTEGER");
                    b.HasKey("Id");
                    b.HasIndex("RaceId");
                    b.HasIndex("Status", "Id");
                    b.ToTable("Runs");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunCheckpoint", b =>
                {
                    b.Property<long>("RunId").HasColumnType("INTEGER");
                    b.Property<DateTime>("CreatedAt").HasColumnType("TEXT");
                    b.Property<byte[]>("Data").IsRequired().HasColumnType("BLOB");
                    b.Property<int>("Epoch").HasColumnType("INTEGER");
                    b.Property<long>("Step").HasColumnType("INTEGER");
                    b.HasKey("RunId");
                    b.ToTable("Checkpoints");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunModel", b =>
                {
                    b.Property<long>("RunId").HasColumnType("INTEGER");
                    b.Property<string>("Json").IsRequired().HasColumnType("TEXT");
                    b.HasKey("RunId");
                    b.ToTable("Models");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.RunTag", b =>
                {
                    b.Property<long>("RunId").HasColumnType("INTEGER");
                    b.Property<string>("Tag").HasMaxLength(50).HasColumnType("TEXT");
                    b.HasKey("RunId", "Tag");
                    b.HasIndex("Tag");
                    b.ToTable("RunTags");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.StepRollup", b =>
                {
                    b.Property<long>("RunId").HasColumnType("INTEGER");
                    b.Property<int>("Level").HasColumnType("INTEGER");
                    b.Property<long>("Bucket").HasColumnType("INTEGER");
                    b.Property<long>("FirstStep").HasColumnType("INTEGER");
                    b.Property<long>("LastStep").HasColumnType("INTEGER");
                    b.Property<int>("Count").HasColumnType("INTEGER");
                    b.Property<int>("Epoch").HasColumnType("INTEGER");
                    b.Property<double>("LossMin").HasColumnType("REAL");
                    b.Property<double>("LossMax").HasColumnType("REAL");
                    b.Property<double>("LossSum").HasColumnType("REAL");
                    b.Property<double>("LossLast").HasColumnType("REAL");
                    b.Property<int>("GradCount").HasColumnType("INTEGER");
                    b.Property<double?>("GradNormMin").HasColumnType("REAL");
                    b.Property<double?>("GradNormMax").HasColumnType("REAL");
                    b.Property<double?>("GradNormSum").HasColumnType("REAL");
                    b.Property<double?>("GradNormLast").HasColumnType("REAL");
                    b.Property<string>("LayerGradNorms").IsRequired().HasColumnType("TEXT");
                    b.Property<double>("LearningRate").HasColumnType("REAL");
                    b.Property<double>("ElapsedMs").HasColumnType("REAL");
                    b.Property<long?>("LossEvaluations").HasColumnType("INTEGER");
                    b.Property<long?>("ExamplesSeen").HasColumnType("INTEGER");
                    b.HasKey("RunId", "Level", "Bucket");
                    b.ToTable("StepRollups");
                });

            modelBuilder.Entity("TrainingService.Data.Entities.StepMetric", b =>
                {
                    b.Property<long>("RunId").HasColumnType("INTEGER");
                    b.Property<long>("Step").HasColumnType("INTEGER");
                    b.Property<double>("ElapsedMs").HasColumnType("REAL");
                    b.Property<int>("Epoch").HasColumnType("INTEGER");
                    b.Property<long?>("ExamplesSeen").HasColumnType("INTEGER");
                    b.Property<double?>("GradNorm").HasColumnType("REAL");
                    b.Property<string>("LayerGradNorms").IsRequired().HasColumnType("TEXT");
                    b.Property<double>("LearningRate").HasColumnType("REAL");
                    b.Property<double>("Loss").HasColumnType("REAL");
                    b.Property<long?>("LossEvaluations").HasColumnType("INTEGER");
                    b.Property<string>("Point").HasColumnType("TEXT");
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
