using System.Text.RegularExpressions;

namespace TrainingService.Engine.Data;

/// <summary>Paths as users may see them: relative to the data directory. Error messages reach API clients and run
/// records, and the absolute directory says how the host is laid out (a home directory, a mount) to anyone who asks.</summary>
public static class DataPaths
{
    /// <summary><paramref name="text"/> with the data directory cut from the paths in it: <c>/srv/data/uploads/a.csv</c>
    /// becomes <c>uploads/a.csv</c>, and the directory on its own "the data directory".</summary>
    public static string Relative(string text, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        foreach (string form in new[] { Path.GetFullPath(dataDirectory), dataDirectory }.Select(Path.TrimEndingDirectorySeparator).Distinct())
        {
            if (form.Length == 0 || form == "." || Path.GetPathRoot(form) == form) continue; // nothing to cut from "/"
            // The directory followed by a separator is cut; on its own (not the start of a longer name) it is named.
            string pattern = Regex.Escape(form) + "(" + Regex.Escape(Path.DirectorySeparatorChar.ToString()) + @"|(?![\w.-]))";
            text = Regex.Replace(text, pattern, m => m.Groups[1].Length > 0 ? "" : "the data directory");
        }
        return text;
    }
}
