using Microsoft.EntityFrameworkCore;
using TrainingService.Data.Entities;

namespace TrainingService.Data;

/// <summary>
/// Runs and everything they produce. A change to the model needs a migration for each provider
/// (<c>dotnet ef migrations add</c>, docs/ARCHITECTURE.md); CI and the API tests fail on any drift.
/// </summary>
public sealed class TrainingDbContext(DbContextOptions<TrainingDbContext> options) : DbContext(options)
{
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunTag> RunTags => Set<RunTag>();
    public DbSet<StepMetric> StepMetrics => Set<StepMetric>();
    public DbSet<StepRollup> StepRollups => Set<StepRollup>();
    public DbSet<EpochMetric> EpochMetrics => Set<EpochMetric>();
    public DbSet<RunCheckpoint> Checkpoints => Set<RunCheckpoint>();
    public DbSet<RunModel> Models => Set<RunModel>();
    public DbSet<Race> Races => Set<Race>();
    public DbSet<DatasetUpload> Uploads => Set<DatasetUpload>();
    public DbSet<Sweep> Sweeps => Set<Sweep>();
    public DbSet<SweepTrial> SweepTrials => Set<SweepTrial>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Run>(e =>
        {
            e.ToTable("Runs");
            e.HasKey(r => r.Id);
            e.Property(r => r.Name).HasMaxLength(200);
            e.Property(r => r.Notes).HasMaxLength(Run.MaxNotesLength);
            e.Property(r => r.Status).HasMaxLength(16);
            e.Property(r => r.LeaseOwner).HasMaxLength(200);
            // The worker claims the oldest queued run; the list filters by status, newest first.
            e.HasIndex(r => new { r.Status, r.Id });
            e.HasIndex(r => r.RaceId);
            e.HasMany(r => r.Tags).WithOne().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<RunTag>(e =>
        {
            e.ToTable("RunTags");
            e.HasKey(t => new { t.RunId, t.Tag });
            e.Property(t => t.Tag).HasMaxLength(50);
            e.HasIndex(t => t.Tag);
        });
        b.Entity<StepMetric>(e =>
        {
            e.ToTable("StepMetrics");
            e.HasKey(m => new { m.RunId, m.Step });
            e.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<StepRollup>(e =>
        {
            e.ToTable("StepRollups");
            e.HasKey(m => new { m.RunId, m.Level, m.Bucket });
            e.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<EpochMetric>(e =>
        {
            e.ToTable("EpochMetrics");
            e.HasKey(m => new { m.RunId, m.Epoch });
            e.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<RunCheckpoint>(e =>
        {
            e.ToTable("Checkpoints");
            e.HasKey(c => c.RunId);
            e.HasOne<Run>().WithOne().HasForeignKey<RunCheckpoint>(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Race>(e =>
        {
            e.ToTable("Races");
            e.HasKey(r => r.Id);
            e.Property(r => r.Name).HasMaxLength(200);
        });
        b.Entity<RunModel>(e =>
        {
            e.ToTable("Models");
            e.HasKey(m => m.RunId);
            e.HasOne<Run>().WithOne().HasForeignKey<RunModel>(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<DatasetUpload>(e =>
        {
            e.ToTable("Uploads");
            e.HasKey(u => u.Name);
            e.Property(u => u.Name).HasMaxLength(64);
            e.Property(u => u.Extension).HasMaxLength(16);
        });
        b.Entity<Sweep>(e =>
        {
            e.ToTable("Sweeps");
            e.HasKey(s => s.Id);
            e.Property(s => s.Name).HasMaxLength(200);
            e.Property(s => s.Method).HasMaxLength(16);
            e.Property(s => s.Metric).HasMaxLength(32);
            e.Property(s => s.Goal).HasMaxLength(16);
            e.Property(s => s.State).HasMaxLength(16);
            // The coordinators look for running sweeps.
            e.HasIndex(s => s.State);
        });
        b.Entity<SweepTrial>(e =>
        {
            e.ToTable("SweepTrials");
            // The key is the guard against two instances creating the same trial.
            e.HasKey(t => new { t.SweepId, t.Index });
            e.HasOne<Sweep>().WithMany().HasForeignKey(t => t.SweepId).OnDelete(DeleteBehavior.Cascade);
            // A run is one sweep's trial at most; the worker asks whether the run it trains is a trial. No foreign key to
            // Runs: a trial's run may be deleted like any run, and the trial then counts as ended without a metric.
            e.HasIndex(t => t.RunId).IsUnique();
        });
    }
}
