using System.Globalization;

namespace TrainingService.Engine.Data;

/// <summary>
/// A CSV's target column, taken one row at a time: decides the task by the rules in <see cref="CsvLoader"/> without
/// holding the column's text, so a file can be checked in memory bounded by a row (and at most
/// <see cref="CsvLoader.MaxClasses"/> distinct labels). With <c>keepRows</c> it also keeps what each row needs to
/// build <see cref="Dataset.Y"/> (a label index, the value as double and as float: 16 bytes a row).
/// </summary>
internal sealed class CsvTarget(string source, string column, int index, bool keepRows)
{
    private Dictionary<string, int>? _labels = new(StringComparer.Ordinal); // null once past MaxClasses
    private readonly List<string> _names = [];
    private bool _numeric = true;
    private bool _integral = true;
    private (int Line, string Text)? _firstNonFinite;
    private readonly SortedSet<double> _distinct = [];
    private List<int>? _labelOfRow = keepRows ? [] : null;
    private List<double>? _valueOfRow = keepRows ? [] : null;
    private List<float>? _floatOfRow = keepRows ? [] : null;

    public int Rows { get; private set; }

    public void Add(ReadOnlySpan<char> text, int line)
    {
        if (text.Length == 0)
            throw new DataFormatException($"{source}: line {line}, column '{column}' ({index + 1}): the target value is empty");
        Rows++;
        AddLabel(text);
        if (!_numeric) return;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
        {
            _numeric = false;
            _valueOfRow = null;
            _floatOfRow = null;
            return;
        }
        if (!float.IsFinite((float)v)) _firstNonFinite ??= (line, text.ToString());
        else if (v != Math.Floor(v)) _integral = false;
        else if (_distinct.Count <= CsvLoader.MaxNumericClasses) _distinct.Add(v);
        _valueOfRow?.Add(v);
        // Straight to float (correctly rounded; via double could round twice).
        _floatOfRow?.Add(float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float f) ? f : float.NaN);
    }

    /// <summary>Labels in order of first appearance, while there are few enough to be classes.</summary>
    private void AddLabel(ReadOnlySpan<char> text)
    {
        if (_labels is null) return;
        var lookup = _labels.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out int k))
        {
            if (_names.Count == CsvLoader.MaxClasses)
            {
                _labels = null; // a text target this varied is refused in Finish; a numeric one does not need them
                _labelOfRow = null;
                return;
            }
            k = _names.Count;
            string name = text.ToString();
            _labels.Add(name, k);
            _names.Add(name);
        }
        _labelOfRow?.Add(k);
    }

    /// <summary>The task: classes (0 for regression) and class names; and Y when rows were kept.</summary>
    public (float[]? Y, int Classes, string[]? ClassNames) Finish()
    {
        if (_numeric) return FinishNumeric();
        if (_labels is null)
            throw new DataFormatException(
                $"{source}: target column '{column}' has more than {CsvLoader.MaxClasses} distinct labels; a text target is a class label (a numeric column is read as regression)");
        if (_names.Count < 2)
            throw new DataFormatException(
                $"{source}: target column '{column}' has only one label ('{_names[0]}'); classification needs at least 2");
        float[]? y = _labelOfRow?.Select(k => (float)k).ToArray();
        return (y, _names.Count, _names.ToArray());
    }

    private (float[]? Y, int Classes, string[]? ClassNames) FinishNumeric()
    {
        if (_firstNonFinite is { } bad)
            throw new DataFormatException(
                $"{source}: line {bad.Line}, column '{column}' ({index + 1}): target '{bad.Text}' is not a finite number (NaN, infinity or beyond float range)");
        if (!_integral || _distinct.Count < 2 || _distinct.Count > CsvLoader.MaxNumericClasses)
            return (_floatOfRow?.ToArray(), 0, null);

        var sorted = new double[_distinct.Count];
        _distinct.CopyTo(sorted);
        var names = new string[sorted.Length];
        for (int k = 0; k < sorted.Length; k++) names[k] = sorted[k].ToString(CultureInfo.InvariantCulture);
        float[]? y = _valueOfRow?.Select(v => (float)Array.BinarySearch(sorted, v)).ToArray();
        return (y, sorted.Length, names);
    }
}
