using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrainingService.Engine.Layers;

/// <summary>A kernel, stride or padding: one number for both sides or <c>[h, w]</c> (as PyTorch takes them); written
/// back as one number when both sides are equal.</summary>
[JsonConverter(typeof(SizePairJsonConverter))]
public readonly record struct SizePair(int H, int W)
{
    public static implicit operator SizePair(int both) => new(both, both);

    public (int H, int W) Tuple => (H, W);

    public override string ToString() => H == W ? $"{H}" : $"[{H}, {W}]";
}

/// <summary>Reads a number or a two-number array; anything else is a <see cref="JsonException"/> (a 400 naming the field).</summary>
public sealed class SizePairJsonConverter : JsonConverter<SizePair>
{
    public override SizePair Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return reader.GetInt32();
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a number or [h, w]");
        var values = new List<int>(2);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || values.Count == 2) throw new JsonException("expected a number or [h, w]");
            values.Add(reader.GetInt32());
        }
        if (values.Count != 2) throw new JsonException("expected a number or [h, w]");
        return new SizePair(values[0], values[1]);
    }

    public override void Write(Utf8JsonWriter writer, SizePair value, JsonSerializerOptions options)
    {
        if (value.H == value.W) { writer.WriteNumberValue(value.H); return; }
        writer.WriteStartArray();
        writer.WriteNumberValue(value.H);
        writer.WriteNumberValue(value.W);
        writer.WriteEndArray();
    }
}
