using System.Text.Json.Nodes;

namespace TrainingService.Engine.Sweeps;

/// <summary>A parameter that takes one of a list of JSON values (a number, string, bool or array such as
/// <c>[64, 64]</c>); values are told apart by their JSON text. Samplers hand out copies, never these nodes.</summary>
public sealed record SweepValues(string Path, IReadOnlyList<JsonNode> Values) : SweepParameter(Path)
{
    public override void Validate()
    {
        if (Values.Count == 0) throw new ArgumentException($"{Name}: values must list at least one value", Path);
        var seen = new HashSet<string>();
        for (int i = 0; i < Values.Count; i++)
        {
            if (Values[i] is null) throw new ArgumentException($"{Name}: values[{i}] is null; expected a number, string, bool or array", Path);
            if (!seen.Add(Values[i].ToJsonString())) throw new ArgumentException($"{Name}: values[{i}] ({Values[i].ToJsonString()}) is listed twice", Path);
        }
    }

    /// <summary>The position of <paramref name="value"/> in <see cref="Values"/> by JSON text, or −1.</summary>
    public int IndexOf(JsonNode? value)
    {
        if (value is null) return -1;
        string text = value.ToJsonString();
        for (int i = 0; i < Values.Count; i++)
            if (Values[i].ToJsonString() == text) return i;
        return -1;
    }
}
