"""Seeds a migrated TrainingService SQLite database with RUNS finished runs of STEPS steps each (and their epochs),
copying the spec and summary of run 1 (a real run) so every row looks like one the service wrote.
Usage: python3 seed.py DB RUNS STEPS"""
import json, math, sqlite3, sys

db, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(db)
spec, summary, created = con.execute('SELECT "SpecJson", "SummaryJson", "CreatedAt" FROM "Runs" WHERE "Id" = 1').fetchone()
start = con.execute('SELECT COALESCE(MAX("Id"), 0) FROM "Runs"').fetchone()[0] + 1
per_epoch = 100
with con:
    for i in range(runs):
        run_id = start + i
        con.execute('INSERT INTO "Runs" ("Id", "Name", "Status", "SpecJson", "CreatedAt", "StartedAt", "FinishedAt", "Epoch", "Step", "TotalSteps", "SummaryJson") '
                    'VALUES (?, ?, \'succeeded\', ?, ?, ?, ?, ?, ?, ?, ?)',
                    (run_id, f"seeded {run_id}", spec, created, created, created, steps // per_epoch, steps, steps, summary))
        con.execute('INSERT INTO "RunTags" ("RunId", "Tag") VALUES (?, ?)', (run_id, f"batch{i % 10}"))
        con.executemany('INSERT INTO "StepMetrics" ("RunId", "Step", "Epoch", "Loss", "GradNorm", "LayerGradNorms", "LearningRate", "ElapsedMs", "Point") '
                        'VALUES (?, ?, ?, ?, ?, ?, 0.01, ?, NULL)',
                        ((run_id, s, (s - 1) // per_epoch + 1, 1.0 / math.sqrt(s) + 0.01 * math.sin(s), 0.5 / math.sqrt(s),
                          json.dumps([0.3 / math.sqrt(s), 0.2 / math.sqrt(s)]), s * 0.5) for s in range(1, steps + 1)))
        con.executemany('INSERT INTO "EpochMetrics" ("RunId", "Epoch", "TrainLoss", "TrainAccuracy", "ValidationLoss", "ValidationAccuracy", "LearningRate") '
                        'VALUES (?, ?, ?, 0.9, ?, 0.88, 0.01)',
                        ((run_id, e, 1.0 / e, 1.1 / e) for e in range(1, steps // per_epoch + 1)))
print(f"seeded runs {start}..{start + runs - 1}, {runs * steps} steps")
