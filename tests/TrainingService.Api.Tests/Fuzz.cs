using System.Text;
using System.Text.Json.Nodes;

namespace TrainingService.Api.Tests;

/// <summary>Seeded random mutations of valid specs and CSV files: wrong types, huge and negative numbers, NaN-like
/// strings, deep nesting, unknown fields, truncated JSON, binary junk, path-like dataset names, hostile text.</summary>
public sealed class Fuzz(int seed)
{
    private readonly Random _rng = new(seed);

    public static readonly string[] ValidSpecs =
    [
        """{"name":"fuzz","tags":["a","b"],"dataset":{"name":"spiral","samples":200,"noise":0.1,"validationFraction":0.1,"testFraction":0.1,"shuffle":true,"standardize":false},"model":{"hidden":[8],"activation":"relu","outputActivation":"softmax","init":"default"},"loss":"cross_entropy","optimizer":{"type":"adam","learningRate":0.01,"beta1":0.9,"beta2":0.999,"epsilon":1e-8,"weightDecay":0,"clipNorm":0,"schedule":{"type":"step","stepSize":2,"gamma":0.5}},"gradient":"backprop","batchSize":16,"epochs":3,"seed":1,"earlyStopping":{"patience":5,"minDelta":0},"gradientCheck":false}""",
        """{"dataset":{"name":"linear","samples":100},"model":{"hidden":[4,4],"activation":"tanh"},"loss":"mse","optimizer":{"type":"momentum","learningRate":0.05,"momentum":0.9},"batchSize":0,"epochs":5}""",
        """{"dataset":{"name":"xor"},"model":{"hidden":[3],"activation":"step","outputActivation":"sigmoid"},"loss":"bce","optimizer":{"type":"genetic","populationSize":20,"elitism":2,"tournamentSize":3,"crossoverRate":0.5,"mutationRate":0.1,"stepSize":0.5},"epochs":3}""",
        """{"dataset":{"name":"moons","samples":120},"model":{"hidden":[5]},"optimizer":{"type":"rmsprop","learningRate":0.01,"alpha":0.9},"gradient":"numerical","batchSize":8,"epochs":2,"gradientCheck":false}""",
        """{"dataset":{"name":"UPLOAD"},"model":{"hidden":[4]},"optimizer":{"type":"sgd","learningRate":0.1},"batchSize":4,"epochs":2,"seed":3}""",
    ];

    private static readonly string[] PathLike =
    [
        "../../etc/passwd", "/etc/passwd", "..", ".", "uploads/../training", @"C:\Windows\win.ini", @"\\server\share\x", "training.db",
        "spiral/../spiral", "%2e%2e%2fetc%2fpasswd", "con", "nul", "a\0b", "file:///etc/passwd", "mnist/../../x", "~/.ssh/id_rsa",
        " spiral", "spiral ", "SPIRAL", "uploads", "training.db-wal", "..\\..\\x", "spiral\n", "", new string('a', 300),
    ];

    private static readonly string[] Texty =
    [
        "abc", "NaN", "Infinity", "-Infinity", "1e999", "-1e999", "0x10", "١٢٣", "", " ", "null", "true", "1,5", "1_000",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\u0000", "\u202e", "Robert'); DROP TABLE Runs;--", "${jndi:ldap://x}",
    ];

    private JsonNode? Junk(int depth = 0) => _rng.Next(9) switch
    {
        0 => JsonValue.Create(Pick(Texty)),
        1 => JsonValue.Create(Pick([1e308, -1e308, double.Epsilon, 4294967296.0, 2147483648.0, -2147483649.0, 1e15, -0.0, 0.5, 1e-9])),
        2 => JsonValue.Create(Pick([long.MaxValue, long.MinValue, -1L, 0L, -1_000_000_000L, int.MaxValue + 1L])),
        3 => JsonValue.Create(_rng.Next(2) == 0),
        4 => null,
        5 => depth < 3 ? new JsonArray(Enumerable.Range(0, _rng.Next(4)).Select(_ => Junk(depth + 1)).ToArray()) : new JsonArray(),
        6 => depth < 3 ? new JsonObject { [Pick(["a", "name", "type", "__proto__", "$type"])] = Junk(depth + 1) } : new JsonObject(),
        7 => JsonValue.Create(new string(Pick(['x', '9', '\u00e9', '"']), _rng.Next(1, 20_000))),
        _ => Nest(_rng.Next(5, 60)), // deeper nesting is sent as text (see Spec)
    };

    private JsonNode Nest(int depth)
    {
        JsonNode node = JsonValue.Create(1);
        for (int i = 0; i < depth; i++) node = _rng.Next(2) == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        return node;
    }

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

    /// <summary>All (container, key-or-index) slots in the tree.</summary>
    private static List<(JsonNode Parent, object Slot)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, object)>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o) foreach (var (k, v) in o.ToList()) { slots.Add((o, k)); Walk(v); }
            else if (n is JsonArray a) for (int i = 0; i < a.Count; i++) { slots.Add((a, i)); Walk(a[i]); }
        }
        Walk(root);
        return slots;
    }

    /// <summary>A mutated spec body (bytes: some are not UTF-8 at all).</summary>
    public byte[] Spec(string? uploadName)
    {
        string valid = Pick(ValidSpecs).Replace("UPLOAD", uploadName ?? "spiral");
        var root = JsonNode.Parse(valid)!;
        int mutations = _rng.Next(0, 4);
        for (int m = 0; m < mutations; m++)
        {
            var slots = Slots(root);
            var (parent, slot) = slots[_rng.Next(slots.Count)];
            switch (_rng.Next(6))
            {
                case 0: case 1: Set(parent, slot, Junk()); break;
                case 2: if (parent is JsonObject po) po[Pick(["unknownField", "lr", "Epochs", "dataset2", "__proto__", "constructor"])] = Junk(); break;
                case 3: if (parent is JsonObject ro) ro.Remove((string)slot); else if (parent is JsonArray ra) ra.RemoveAt((int)slot); break;
                case 4: ((JsonObject)root)["dataset"] = new JsonObject { ["name"] = Pick(PathLike) }; break;
                default: Set(parent, slot, Scale(Get(parent, slot))); break;
            }
        }
        string text = root.ToJsonString();
        switch (_rng.Next(12))
        {
            case 0: return Encoding.UTF8.GetBytes(text[.._rng.Next(text.Length)]);           // truncated
            case 1: return Bytes(_rng.Next(1, 2000));                                            // binary junk
            case 2: return Encoding.UTF8.GetBytes(Splice(text));                               // a character or two changed
            case 3: return Encoding.UTF8.GetBytes(text.Replace("\"epochs\":", "\"epochs\":1e99999,\"x\":"));
            case 4: return Encoding.UTF8.GetBytes(_rng.Next(2) == 0 ? new string('[', 5000) : "{\"a\":" + new string('[', 100_000));
            case 5: return Encoding.UTF8.GetBytes(text.Insert(1, "\"epochs\":2,\"epochs\":3,"));  // duplicate keys
            case 6: return [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];                  // BOM
            case 7: return Encoding.Unicode.GetBytes(text);                                      // UTF-16
            default: return Encoding.UTF8.GetBytes(text);
        }
    }

    private JsonNode? Scale(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? JsonValue.Create(d * Pick([-1.0, 1e6, 1e300, -1e-300, 0.0, 1e12])) : Junk();

    private static JsonNode? Get(JsonNode parent, object slot) => parent is JsonObject o ? o[(string)slot] : ((JsonArray)parent)[(int)slot];

    private static void Set(JsonNode parent, object slot, JsonNode? value)
    {
        if (parent is JsonObject o) o[(string)slot] = value;
        else ((JsonArray)parent)[(int)slot] = value;
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _rng.NextBytes(bytes);
        return bytes;
    }

    private string Splice(string text)
    {
        var sb = new StringBuilder(text);
        for (int i = 0, n = _rng.Next(1, 4); i < n && sb.Length > 0; i++)
            sb[_rng.Next(sb.Length)] = Pick(['{', '}', '[', ']', '"', ',', ':', '\\', '\0', 'x', '9', '-', '.', 'e', '\u00ff']);
        return sb.ToString();
    }

    public static readonly string[] ValidCsvs =
    [
        "a,b,label\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i * 0.1:F1},{i % 7},{(i % 3 == 0 ? "cat" : "dog")}\n")),
        "x1,x2,x3,y\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i},{-i * 2.5},{i % 4},{i * 0.3 + 1}\n")),
        "p,q,digit\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{i % 5},{i % 3},{i % 4}\n")),
    ];

    private static readonly string[] HostileHeaders = ["<img src=x onerror=alert(1)>", "\"quoted, header\"", "=cmd|' /C calc'!A0", "", "a", "a\u0000b", "<b>x</b>", "${x}", "\u202e"];

    /// <summary>A mutated CSV upload: (file bytes, file name, name field or null, target field or null).</summary>
    public (byte[] File, string FileName, string? Name, string? Target) Csv(int index)
    {
        string csv = Pick(ValidCsvs);
        var lines = csv.Split('\n').ToList();
        int mutations = _rng.Next(0, 4);
        for (int m = 0; m < mutations; m++)
        {
            if (lines.Count == 0) lines.Add("");
            int line = _rng.Next(lines.Count);
            switch (_rng.Next(9))
            {
                case 0: lines[line] += "," + Pick(["1", "", "x", "1e39"]); break;                                          // ragged
                case 1: lines[line] = lines[line].Replace(",", ",,", StringComparison.Ordinal); break;
                case 2: lines[line] = string.Join(',', lines[line].Split(',').Select(f => _rng.Next(3) == 0 ? Pick(["NaN", "Infinity", "-1e39", "1e-50", "", "\"", "\"a\nb\"", "0x1F", "1,5", "9".PadLeft(400, '9')]) : f)); break;
                case 3: lines[0] = string.Join(',', lines[0].Split(',').Select(h => _rng.Next(2) == 0 ? Pick(HostileHeaders) : h)); break;
                case 4: lines.Insert(line, Encoding.Latin1.GetString(Bytes(_rng.Next(1, 200)))); break;
                case 5: lines.RemoveRange(line, lines.Count - line); break;                                                 // truncated
                case 6: lines[line] = lines[line].Replace("cat", "<script>alert(1)</script>").Replace("dog", "\"d,o\"\"g\""); break;
                case 7: lines.AddRange(Enumerable.Repeat(lines[_rng.Next(lines.Count)], _rng.Next(1, 50))); break;
                default: lines[0] = string.Join(',', Enumerable.Range(0, _rng.Next(1, 3000)).Select(i => $"c{i}")); break;   // wide header
            }
        }
        string text = string.Join(Pick(["\n", "\r\n", "\r"]), lines);
        byte[] file = _rng.Next(15) switch
        {
            0 => Bytes(_rng.Next(0, 3000)),
            1 => Encoding.Unicode.GetBytes(text),
            2 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
            3 => Encoding.UTF8.GetBytes(text[.._rng.Next(text.Length + 1)]),
            _ => Encoding.UTF8.GetBytes(text),
        };
        string name = _rng.Next(6) switch
        {
            0 => Pick(PathLike),
            1 => Pick(["spiral", "mnist", "xor", "a b", "naïve", new string('n', 65), "ok-name_1", "<b>x</b>"]),
            _ => $"fuzz{index}",
        };
        string fileName = _rng.Next(5) == 0 ? Pick(["../../evil.csv", "/etc/passwd", @"C:\x.csv", "", "a/b.csv", "..", "x.csv\0.txt"]) : $"{name}.csv";
        string? target = _rng.Next(4) == 0 ? Pick(["label", "y", "digit", "nope", "", "LABEL", "a", "<img src=x>"]) : null;
        return (file, fileName, _rng.Next(5) == 0 ? null : name, target);
    }
}
