namespace TrainingService.Engine.Data;

/// <summary>
/// Splits CSV text into records (RFC 4180 basics): comma separated, fields optionally in double quotes with
/// <c>""</c> for a quote, a quoted field may span lines. Unquoted fields are trimmed of surrounding whitespace,
/// whitespace around a quoted field is ignored. Blank lines are skipped rather than read as one empty field,
/// because a trailing empty line is the most common CSV artefact.
/// Fields are exposed as spans into one reused buffer: a string per field would dominate the cost of loading a
/// large numeric file.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string source)
{
    private char[] _chars = new char[1024];
    private int _used;
    private readonly List<(int Start, int Length)> _fields = [];
    private int _physicalLine;

    /// <summary>1-based line on which the record last returned by <see cref="Read"/> starts.</summary>
    public int LineNumber { get; private set; }

    public int FieldCount => _fields.Count;

    /// <summary>Field <paramref name="i"/> of the current record, unquoted and trimmed; valid until the next Read.</summary>
    public ReadOnlySpan<char> Field(int i) => _chars.AsSpan(_fields[i].Start, _fields[i].Length);

    public string FieldText(int i) => new(Field(i));

    /// <summary>Reads the next non-blank record; false at the end of input.</summary>
    public bool Read()
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
        _fields.Clear();
        _used = 0;
        int pos = 0;
        while (true)
        {
            int start = _used;
            ReadField(ref line, ref pos);
            _fields.Add((start, _used - start));
            if (pos >= line.Length) return true;
            pos++; // the comma
        }
    }

    /// <summary>Appends one field starting at <paramref name="pos"/> to the buffer, leaving pos on the comma after
    /// it or at the end of the line.</summary>
    private void ReadField(ref string line, ref int pos)
    {
        while (pos < line.Length && IsBlank(line[pos])) pos++;
        if (pos >= line.Length || line[pos] != '"')
        {
            int start = pos;
            while (pos < line.Length && line[pos] != ',') pos++;
            Append(line.AsSpan(start, pos - start).TrimEnd(" \t"));
            return;
        }

        int fieldNumber = _fields.Count + 1;
        pos++; // opening quote
        while (true)
        {
            if (pos >= line.Length)
            {
                // The quoted field continues on the next physical line.
                string? next = reader.ReadLine() ?? throw new DataFormatException(
                    $"{source}: line {LineNumber}, field {fieldNumber}: quoted field is not closed before the end of the file");
                _physicalLine++;
                Append("\n");
                line = next;
                pos = 0;
                continue;
            }
            int quote = line.IndexOf('"', pos);
            if (quote < 0) { Append(line.AsSpan(pos)); pos = line.Length; continue; }
            Append(line.AsSpan(pos, quote - pos));
            pos = quote + 1;
            if (pos < line.Length && line[pos] == '"') { Append("\""); pos++; continue; }
            break; // closing quote
        }
        while (pos < line.Length && IsBlank(line[pos])) pos++;
        if (pos < line.Length && line[pos] != ',')
            throw new DataFormatException(
                $"{source}: line {_physicalLine}, field {fieldNumber}: unexpected '{line[pos]}' after a closing quote (a quote inside a quoted field must be doubled)");
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > _chars.Length)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + text.Length));
        text.CopyTo(_chars.AsSpan(_used));
        _used += text.Length;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';
}
