using TrainingService.Engine.Tensors;

namespace TrainingService.Engine.Data;

/// <summary>
/// Splits a dataset into train, validation and test parts: nTest = round(Count·testFraction),
/// nVal = round(Count·validationFraction) (Math.Round, i.e. ties to even), train gets the rest.
/// Without shuffling the source order is kept (train, then validation, then test), so a file whose last rows are
/// an official test set can be split reproducibly. With shuffling the rows are permuted by
/// <c>Rng.ForStream(seed, "split")</c>. Classification data is deliberately not stratified: the split stays
/// one obvious rule, and at the sizes used here class proportions come out close anyway.
/// </summary>
public static class DatasetSplitter
{
    public static DatasetSplit Split(Dataset data, double validationFraction, double testFraction, bool shuffle, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "validationFraction must be in [0, 1)");
        if (!(testFraction >= 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "testFraction must be in [0, 1)");
        if (validationFraction + testFraction >= 1)
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction,
                $"validationFraction ({validationFraction}) + testFraction ({testFraction}) must be less than 1");

        int nTest = (int)Math.Round(data.Count * testFraction);
        int nVal = (int)Math.Round(data.Count * validationFraction);
        int nTrain = data.Count - nVal - nTest;
        if (nTrain < 1)
            throw new ArgumentException(
                $"dataset '{data.Name}' has {data.Count} rows; after {nVal} validation and {nTest} test rows none are left for training",
                nameof(data));

        var order = new int[data.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (shuffle) Rng.ForStream(seed, "split").Shuffle(order);

        return new DatasetSplit(
            data.Subset(order.AsSpan(0, nTrain), $"{data.Name}/train"),
            data.Subset(order.AsSpan(nTrain, nVal), $"{data.Name}/validation"),
            data.Subset(order.AsSpan(nTrain + nVal, nTest), $"{data.Name}/test"));
    }
}
