namespace TrainingService.Engine.Data;

/// <summary>
/// Splits CSV text into records (RFC 4180 basics): comma separated, fields optionally in double quotes with
/// <c>""</c> for a quote, a quoted field may span lines. Unquoted fields are trimmed of surrounding whitespace,
/// whitespace around a quoted field is ignored. Blank lines are skipped rather than read as one empty field,
/// because a trailing empty line is the most common CSV artefact.
/// Fields are exposed as spans into one reused buffer: a string per field would dominate the cost of loading a
/// large numeric file. Lines are read into a reused buffer too, never longer than <c>maxRecordChars</c>: a file that
/// is one 20 MB line is refused at the limit instead of being held whole (twice: as the line and as its fields).
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string source, int maxRecordChars = int.MaxValue)
{
    private char[] _chars = new char[1024];
    private int _used;
    private readonly List<(int Start, int Length)> _fields = [];
    private int _physicalLine;

    private readonly char[] _input = new char[16 * 1024];
    private int _inputPos, _inputEnd;
    private char[] _line = new char[1024];
    private int _lineLength;

    /// <summary>1-based line on which the record last returned by <see cref="Read"/> starts.</summary>
    public int LineNumber { get; private set; }

    public int FieldCount => _fields.Count;

    /// <summary>Field <paramref name="i"/> of the current record, unquoted and trimmed; valid until the next Read.</summary>
    public ReadOnlySpan<char> Field(int i) => _chars.AsSpan(_fields[i].Start, _fields[i].Length);

    public string FieldText(int i) => new(Field(i));

    /// <summary>Reads the next non-blank record; false at the end of input.</summary>
    public bool Read()
    {
        ReadOnlySpan<char> line;
        do
        {
            if (!NextLine()) return false;
            line = _line.AsSpan(0, _lineLength);
            if (_physicalLine == 1 && line.Length > 0 && line[0] == '\uFEFF') line = line[1..];
        }
        while (line.IsWhiteSpace());

        LineNumber = _physicalLine;
        _fields.Clear();
        _used = 0;
        int pos = _lineLength - line.Length;
        while (true)
        {
            int start = _used;
            ReadField(ref pos);
            _fields.Add((start, _used - start));
            if (pos >= _lineLength) return true;
            pos++; // the comma
        }
    }

    /// <summary>The next physical line (without its terminator: \n, \r\n or \r, as TextReader.ReadLine) into
    /// <see cref="_line"/>; false at the end of input.</summary>
    private bool NextLine()
    {
        _lineLength = 0;
        bool any = false;
        while (true)
        {
            if (_inputPos == _inputEnd && !Fill()) return any;
            any = true;
            var rest = _input.AsSpan(_inputPos, _inputEnd - _inputPos);
            int end = rest.IndexOfAny('\r', '\n');
            AppendLine(end < 0 ? rest : rest[..end]);
            if (end < 0) { _inputPos = _inputEnd; continue; }
            _inputPos += end + 1;
            if (rest[end] == '\r' && (_inputPos < _inputEnd || Fill()) && _input[_inputPos] == '\n') _inputPos++;
            _physicalLine++;
            return true;
        }
    }

    private bool Fill()
    {
        _inputPos = 0;
        _inputEnd = reader.Read(_input, 0, _input.Length);
        return _inputEnd > 0;
    }

    private void AppendLine(ReadOnlySpan<char> text)
    {
        if (_lineLength + text.Length > maxRecordChars) throw TooLong(_physicalLine + 1);
        if (_lineLength + text.Length > _line.Length)
            Array.Resize(ref _line, (int)Math.Min(Array.MaxLength, Math.Max(2L * _line.Length, _lineLength + text.Length)));
        text.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += text.Length;
    }

    private CsvLimitException TooLong(int line) =>
        new($"{source}: line {line} is longer than {maxRecordChars} characters, the limit for a row");

    /// <summary>Appends one field starting at <paramref name="pos"/> of the current line to the buffer, leaving pos on
    /// the comma after it or at the end of the line.</summary>
    private void ReadField(ref int pos)
    {
        while (pos < _lineLength && IsBlank(_line[pos])) pos++;
        if (pos >= _lineLength || _line[pos] != '"')
        {
            int start = pos;
            int comma = _line.AsSpan(pos, _lineLength - pos).IndexOf(',');
            pos = comma < 0 ? _lineLength : pos + comma;
            Append(_line.AsSpan(start, pos - start).TrimEnd(" \t"));
            return;
        }

        int fieldNumber = _fields.Count + 1;
        pos++; // opening quote
        while (true)
        {
            if (pos >= _lineLength)
            {
                // The quoted field continues on the next physical line.
                if (!NextLine())
                    throw new DataFormatException(
                        $"{source}: line {LineNumber}, field {fieldNumber}: quoted field is not closed before the end of the file");
                Append("\n");
                pos = 0;
                continue;
            }
            int quote = _line.AsSpan(pos, _lineLength - pos).IndexOf('"');
            if (quote < 0) { Append(_line.AsSpan(pos, _lineLength - pos)); pos = _lineLength; continue; }
            Append(_line.AsSpan(pos, quote));
            pos += quote + 1;
            if (pos < _lineLength && _line[pos] == '"') { Append("\""); pos++; continue; }
            break; // closing quote
        }
        while (pos < _lineLength && IsBlank(_line[pos])) pos++;
        if (pos < _lineLength && _line[pos] != ',')
            throw new DataFormatException(
                $"{source}: line {_physicalLine}, field {fieldNumber}: unexpected '{_line[pos]}' after a closing quote (a quote inside a quoted field must be doubled)");
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > maxRecordChars) throw TooLong(LineNumber); // a quoted field over many lines
        if (_used + text.Length > _chars.Length)
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + text.Length));
        text.CopyTo(_chars.AsSpan(_used));
        _used += text.Length;
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';
}
