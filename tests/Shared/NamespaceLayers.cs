using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;

namespace TrainingService.Tests.Shared;

/// <summary>
/// A project's folders (one namespace each, under <paramref name="root"/>) as layers: a folder may use only the folders
/// below it in <paramref name="layers"/> (bottom first), so the namespace graph has no cycle. Two readings of the same
/// rule: the compiled assembly (every type a type names in its signatures, locals, attributes and IL: what the compiler
/// bound, however it was spelled) and the sources (using directives and qualified names, which also catch what leaves no
/// trace in IL: constants, <c>nameof</c>, doc crefs). Shared by the engine's and the service's layer tests.
/// </summary>
internal sealed partial class NamespaceLayers(Assembly assembly, string root, string[] layers)
{
    public string[] Layers => layers;

    /// <summary>"from → to" for every edge that points up the list (a back edge closes a cycle).</summary>
    public List<string> BackEdges(Dictionary<string, HashSet<string>> edges) =>
        edges.SelectMany(e => e.Value.Where(to => Array.IndexOf(layers, to) > Array.IndexOf(layers, e.Key)).Select(to => $"{e.Key} → {to}"))
            .Order().ToList();

    /// <summary>Folder → the folders its types use, read from the compiled assembly.</summary>
    public Dictionary<string, HashSet<string>> CompiledEdges()
    {
        var edges = new Dictionary<string, HashSet<string>>();
        foreach (var type in assembly.GetTypes())
        {
            if (Folder(type) is not { } from) continue;
            var uses = edges.TryGetValue(from, out var set) ? set : edges[from] = [];
            foreach (var used in Referenced(type).SelectMany(Expand))
                if (Folder(used) is { } to && to != from) uses.Add(to);
        }
        return edges;
    }

    /// <summary>Folder → the folders its source files name: <c>using {root}.X</c> and <c>{root}.X.Y</c>, and, when
    /// <paramref name="relative"/>, <c>X.Name</c> where X is a sibling folder (inside namespace {root}.Y, "Runs.RunDto"
    /// binds to {root}.Runs; leave it off where folder names are also common member names).</summary>
    public Dictionary<string, HashSet<string>> SourceEdges(string sourceDirectory, bool relative)
    {
        var named = new Regex($@"\b{Regex.Escape(root)}\.(?<folder>[A-Z]\w*)\b");
        var edges = new Dictionary<string, HashSet<string>>();
        foreach (string dir in Directory.GetDirectories(sourceDirectory).Where(d => Path.GetFileName(d) is not ("bin" or "obj") && Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories).Length > 0))
        {
            string folder = Path.GetFileName(dir);
            var uses = edges[folder] = [];
            foreach (string file in Directory.GetFiles(dir, "*.cs", SearchOption.AllDirectories))
            {
                string text = File.ReadAllText(file);
                if (GlobalUsing().IsMatch(text)) throw new InvalidOperationException($"{file}: a global using would hide an edge from this scan");
                foreach (Match m in named.Matches(text)) uses.Add(m.Groups["folder"].Value);
                if (relative)
                    foreach (Match m in Relative().Matches(text))
                        if (layers.Contains(m.Groups["folder"].Value)) uses.Add(m.Groups["folder"].Value);
            }
            uses.Remove(folder);
        }
        return edges;
    }

    /// <summary>The folder under the root namespace of a type of the assembly (nested and compiler-made types count
    /// for the namespace they sit in); null for anything else.</summary>
    private string? Folder(Type t) =>
        t.Assembly == assembly && t.Namespace is { } ns && ns.StartsWith(root + ".", StringComparison.Ordinal)
            ? ns[(root.Length + 1)..].Split('.')[0]
            : null;

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> Referenced(Type t)
    {
        if (t.BaseType is { } b) yield return b;
        foreach (var i in t.GetInterfaces()) yield return i;
        foreach (var a in Attributes(t.GetCustomAttributesData())) yield return a;
        foreach (var f in t.GetFields(Declared)) { yield return f.FieldType; foreach (var a in Attributes(f.GetCustomAttributesData())) yield return a; }
        foreach (var p in t.GetProperties(Declared)) { yield return p.PropertyType; foreach (var a in Attributes(p.GetCustomAttributesData())) yield return a; }
        foreach (var e in t.GetEvents(Declared)) if (e.EventHandlerType is { } h) yield return h;
        foreach (var m in t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            foreach (var a in Attributes(m.GetCustomAttributesData())) yield return a;
            if (m.GetMethodBody() is not { } body) continue;
            foreach (var local in body.LocalVariables) yield return local.LocalType;
            foreach (var used in Il(m, body.GetILAsByteArray() ?? [])) yield return used;
        }
    }

    private static IEnumerable<Type> Attributes(IEnumerable<CustomAttributeData> attributes) =>
        attributes.SelectMany(a => a.ConstructorArguments.Concat(a.NamedArguments.Select(n => n.TypedValue))
            .Select(v => v.Value as Type).OfType<Type>().Prepend(a.AttributeType));

    /// <summary>A type with its generic arguments, element types and declaring types.</summary>
    private static IEnumerable<Type> Expand(Type t)
    {
        yield return t;
        if (t.HasElementType && t.GetElementType() is { } element) foreach (var e in Expand(element)) yield return e;
        if (t.IsGenericType && !t.IsGenericTypeDefinition) foreach (var g in t.GetGenericArguments().SelectMany(Expand)) yield return g;
        if (t.DeclaringType is { } outer && !t.IsGenericParameter) yield return outer;
    }

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static NamespaceLayers()
    {
        foreach (var f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null)!;
            if (op.Size == 1) OneByte[(byte)op.Value] = op;
            else TwoByte[(byte)(op.Value & 0xFF)] = op;
        }
    }

    /// <summary>Every type, method and field token in a method body: the methods called, objects made, fields read,
    /// types cast to or boxed (statics like <c>Problems.NotFound(…)</c> appear nowhere else).</summary>
    private static IEnumerable<Type> Il(MethodBase method, byte[] il)
    {
        for (int i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += op.Size;
            switch (op.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    switch (Resolve(method, BitConverter.ToInt32(il, i)))
                    {
                        case Type type: yield return type; break;
                        case FieldInfo field: yield return field.DeclaringType!; yield return field.FieldType; break;
                        case MethodBase called:
                            if (called.DeclaringType is { } owner) yield return owner;
                            if (called.IsGenericMethod) foreach (var g in called.GetGenericArguments()) yield return g;
                            break;
                    }
                    i += 4;
                    break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineNone: break;
                default: i += 4; break;
            }
        }
    }

    private static MemberInfo? Resolve(MethodBase method, int token)
    {
        try
        {
            return method.Module.ResolveMember(token,
                method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null,
                method.IsGenericMethod ? method.GetGenericArguments() : null);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or BadImageFormatException)
        {
            return null; // a member of an assembly the test host does not load: not the service's
        }
    }

    [GeneratedRegex(@"^\s*global\s+using\b", RegexOptions.Multiline)]
    private static partial Regex GlobalUsing();

    /// <summary><c>X.Name</c>; a member access such as <c>db.Runs.Where</c> is preceded by a dot and not counted.</summary>
    [GeneratedRegex(@"(?<![.\w])(?<folder>[A-Z]\w*)\.[A-Z]\w*")]
    private static partial Regex Relative();

    /// <summary>The repository's root: the first folder above the test's binaries that holds <c>src/</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "TrainingService.Engine"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no src/TrainingService.Engine above {AppContext.BaseDirectory}");
    }
}
