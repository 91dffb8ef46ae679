using System.Text;

namespace TrainingService.Engine.Data;

/// <summary>
/// Splits CSV text into records (RFC 4180 basics): comma separated, fields optionally in double quotes with
/// <c>""</c> for a quote, a quoted field may span lines. Unquoted fields are trimmed of surrounding whitespace,
/// whitespace around a quoted field is ignored. Blank lines are skipped rather than read as one empty field,
/// because a trailing empty line is the most common CSV artefact.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string source)
{
    private readonly StringBuilder _field = new();
    private int _physicalLine;

    /// <summary>1-based line on which the record last returned by <see cref="Read"/> starts.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next non-blank record into <paramref name="fields"/>; false at the end of input.</summary>
    public bool Read(List<string> fields)
    {
        string? line;
        do
        {
            line = reader.ReadLine();
            if (line is null) return false;
            _physicalLine++;
            if (_physicalLine == 1 && line.Length > 0 && line[0] == '\uFEFF') line = line[1..];
        }
        while (string.IsNullOrWhiteSpace(line));

        LineNumber = _physicalLine;
        fields.Clear();
        int pos = 0;
        while (true)
        {
            fields.Add(ReadField(ref line, ref pos, fields.Count + 1));
            if (pos >= line.Length) return true;
            pos++; // the comma
        }
    }

    /// <summary>Reads one field starting at <paramref name="pos"/>, leaving pos on the comma after it or at the end.</summary>
    private string ReadField(ref string line, ref int pos, int fieldNumber)
    {
        while (pos < line.Length && IsBlank(line[pos])) pos++;
        if (pos >= line.Length || line[pos] != '"')
        {
            int start = pos;
            while (pos < line.Length && line[pos] != ',') pos++;
            return line[start..pos].Trim();
        }

        _field.Clear();
        pos++; // opening quote
        while (true)
        {
            if (pos >= line.Length)
            {
                // The quoted field continues on the next physical line.
                string? next = reader.ReadLine() ?? throw new DataFormatException(
                    $"{source}: line {LineNumber}, field {fieldNumber}: quoted field is not closed before the end of the file");
                _physicalLine++;
                _field.Append('\n');
                line = next;
                pos = 0;
                continue;
            }
            char c = line[pos++];
            if (c != '"') { _field.Append(c); continue; }
            if (pos < line.Length && line[pos] == '"') { _field.Append('"'); pos++; continue; }
            break; // closing quote
        }
        while (pos < line.Length && IsBlank(line[pos])) pos++;
        if (pos < line.Length && line[pos] != ',')
            throw new DataFormatException(
                $"{source}: line {_physicalLine}, field {fieldNumber}: unexpected '{line[pos]}' after a closing quote (a quote inside a quoted field must be doubled)");
        return _field.ToString();
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';
}
