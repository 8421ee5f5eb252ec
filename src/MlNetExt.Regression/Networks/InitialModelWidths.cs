namespace MlNetExt.Regression;

/// <summary>Checks that new training data fit the network of a model whose training continues.</summary>
internal static class InitialModelWidths
{
    /// <summary>Throws <see cref="ArgumentException"/> (parameter <c>initialModel</c>) naming the column and both sizes when the
    /// data's feature or label width differs from the initial model's.</summary>
    /// <param name="featureColumn">The feature column's name.</param>
    /// <param name="featureCount">Values per row of the feature column in the new data.</param>
    /// <param name="modelFeatures">The number of features the initial model was trained on.</param>
    /// <param name="labelColumn">The label column's name.</param>
    /// <param name="labelWidth">Values per row of the label column in the new data.</param>
    /// <param name="modelOutputs">The number of outputs the initial model predicts.</param>
    public static void Check(string featureColumn, int featureCount, int modelFeatures, string labelColumn, int labelWidth, int modelOutputs)
    {
        if (modelFeatures != featureCount)
            throw new ArgumentException(
                $"Feature column '{featureColumn}' has {featureCount} values per row, but the initial model was trained on {modelFeatures}.",
                "initialModel");
        if (modelOutputs != labelWidth)
            throw new ArgumentException(
                $"Label column '{labelColumn}' has {labelWidth} values per row, but the initial model predicts {modelOutputs} outputs.",
                "initialModel");
    }
}
