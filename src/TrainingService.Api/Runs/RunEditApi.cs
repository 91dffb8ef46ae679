using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TrainingService.Api.Contracts;
using TrainingService.Api.Hosting;
using TrainingService.Data;
using TrainingService.Data.Entities;
using TrainingService.Engine.Training;

namespace TrainingService.Api.Runs;

/// <summary><c>PATCH /api/runs/{id}</c>: a run's labels (name, tags, notes), in any status. The spec stays as submitted:
/// labels do not change what was trained.</summary>
public static class RunEditApi
{
    public static void MapRunEdit(this RouteGroupBuilder runs)
    {
        runs.MapPatch("/{id:long}", EditAsync)
            .Accepts<RunEdit>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Edit a run's name, tags or notes (the fields present; tags replace the list, notes \"\" clears them), in any status");
    }

    private static async Task<Results<Ok<RunDto>, ValidationProblem, ProblemHttpResult>> EditAsync(
        long id, HttpRequest request, TrainingDbContext db, IRunEvents events, IOptions<TrainingOptions> options, CancellationToken ct)
    {
        RunEdit edit;
        try
        {
            edit = await SpecJson.ParseAsync<RunEdit>(request.Body, ct);
        }
        catch (SpecException e)
        {
            return Problems.Invalid(e.Errors);
        }
        // The submission's rules for names and tags (SpecValidator.Labels), so an edit cannot store what a submit refuses.
        var errors = SpecValidator.Labels(edit.Name, edit.Tags, options.Value.SubmissionLimits());
        if (edit.Notes is { Length: > Run.MaxNotesLength } notes)
            errors.Add(new("notes", $"at most {Run.MaxNotesLength:N0} characters, got {notes.Length:N0}"));
        if (errors.Count > 0) return Problems.Invalid(errors);

        var run = await db.Runs.Include(r => r.Tags).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (run is null) return RunsApi.RunNotFound(id);
        if (edit.Name is { } name) run.Name = name;
        if (edit.Notes is { } n) run.Notes = n.Length == 0 ? null : n;
        if (edit.Tags is { } tags)
        {
            var wanted = tags.Distinct(StringComparer.Ordinal).ToList();
            run.Tags.RemoveAll(t => !wanted.Contains(t.Tag));
            run.Tags.AddRange(wanted.Where(t => !run.Tags.Any(kept => kept.Tag == t)).Select(t => new RunTag { Tag = t }));
        }
        // Only the labels are written: a worker updating the run's progress meanwhile keeps its columns.
        await db.SaveChangesAsync(ct);
        var dto = (await db.FindDtoAsync(id, ct))!;
        await events.StatusChangedAsync(id, dto); // the runs list and other open pages show the new labels
        return TypedResults.Ok(dto);
    }
}

/// <summary>The body of <c>PATCH /api/runs/{id}</c>: each field present is set; an absent (or null) one is left as is.</summary>
/// <param name="Tags">The run's whole tag list (duplicates dropped); <c>[]</c> removes them all.</param>
/// <param name="Notes">Free text, at most <see cref="Run.MaxNotesLength"/> characters; <c>""</c> clears them.</param>
public sealed record RunEdit(string? Name, List<string>? Tags, string? Notes);
