using TrainingService.Engine.Layers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace TrainingService.Engine.Training;

/// <summary>JSON for specs and models: camelCase, nulls omitted, unknown fields refused (a typo must not be silently ignored).</summary>
public static class SpecJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
    };

    /// <summary>Parses a spec; malformed JSON, wrong types and unknown fields become a <see cref="SpecException"/> naming the path.</summary>
    public static RunSpec Parse(string json) => Parse<RunSpec>(json);

    /// <summary>Parses any spec-shaped document (a spec, or a request that holds specs) with the same rules and error paths.</summary>
    public static T Parse<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new SpecException("$", "the spec is empty (null)");
        }
        catch (JsonException ex)
        {
            throw new SpecException(ToSpecPath(ex.Path), Describe(ex));
        }
    }

    /// <summary><see cref="Parse{T}(string)"/> straight from a stream (a request body), without holding it as a string first.</summary>
    public static async Task<T> ParseAsync<T>(Stream utf8Json, CancellationToken cancellationToken = default) where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(utf8Json, Options, cancellationToken) ?? throw new SpecException("$", "the spec is empty (null)");
        }
        catch (JsonException ex)
        {
            throw new SpecException(ToSpecPath(ex.Path), Describe(ex));
        }
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>A contract modifier for other serializers (the API's) that leaves a spec's unset fields out, as
    /// <see cref="Options"/> does: a filled-in spec then shows exactly the fields its optimizer and schedule take.</summary>
    public static void OmitUnsetFields(JsonTypeInfo info)
    {
        if (!SpecTypes.Contains(info.Type)) return;
        foreach (var p in info.Properties) p.ShouldSerialize = static (_, value) => value is not null;
    }

    private static readonly HashSet<Type> SpecTypes =
        [typeof(RunSpec), typeof(DatasetSpec), typeof(ModelSpec), typeof(LayerSpec), typeof(OptimizerSpec), typeof(ScheduleSpec), typeof(EarlyStoppingSpec)];

    /// <summary>"$.model.hidden[1]" → "model.hidden[1]"; the root stays "$". A path made long by a huge property
    /// name is cut (an error never echoes a whole hostile document).</summary>
    public static string ToSpecPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return "$";
        string path = jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
        return path.Length <= MaxEchoed ? path : string.Concat(path.AsSpan(0, MaxEchoed), "…");
    }

    /// <summary>Longest path or parser message an error repeats.</summary>
    private const int MaxEchoed = 200;

    /// <summary>The parser's first sentence (cut to a few hundred characters) and where it stopped.</summary>
    public static string Describe(JsonException ex)
    {
        string msg = ex.Message;
        // System.Text.Json appends " Path: … | LineNumber: … | BytePositionInLine: …"; keep the first sentence and the position.
        int cut = msg.IndexOf(" Path:", StringComparison.Ordinal);
        string head = cut > 0 ? msg[..cut] : msg;
        if (head.Length > MaxEchoed) head = string.Concat(head.AsSpan(0, MaxEchoed), "…"); // it may quote a property name
        return ex.LineNumber is { } line ? $"{head} (line {line + 1}, byte {ex.BytePositionInLine + 1})" : head;
    }
}
