using System.Globalization;
using MlNetExt.Core.Training;
using MlNetExt.Vision.Classification;

namespace MlNetExt.Embeddings.Triplets;

/// <summary>Checks for continuing a triplet model's training (<see cref="TripletEmbeddingEstimator.Fit(Microsoft.ML.IDataView, TripletEmbeddingModel)"/>):
/// the options with the initial model's encoder shape, and the input's width and image shape against the model's.</summary>
internal static class TripletContinuation
{
    private const string Parameter = "initialModel";

    /// <summary>A copy of <paramref name="options"/> with the encoder's shape taken from <paramref name="initial"/>.</summary>
    /// <exception cref="ArgumentException">The input is an image and the model an MLP encoder, or the other way round, or the
    /// options' backbone is not the model's.</exception>
    public static TripletEmbeddingOptions OptionsFor(TripletEmbeddingOptions options, TripletArchitecture initial, bool image)
    {
        bool initialImage = initial.Network == TripletArchitecture.ImageNetwork;
        if (initial.Network is not (TripletArchitecture.ImageNetwork or TripletArchitecture.MlpNetwork))
            throw new ArgumentException($"The initial model holds a '{initial.Network}' network, which this version of MlNetExt cannot train.", Parameter);
        if (initialImage != image)
            throw new ArgumentException(initialImage
                    ? $"The initial model is an image encoder ({initial.Encoder}), but feature column '{options.FeatureColumnName}' is a vector and the options " +
                      "have no Backbone: set Backbone to the initial model's backbone to continue training it."
                    : $"The initial model is an MLP encoder of {initial.InputWidth} features, but the input is an image (feature column " +
                      $"'{options.FeatureColumnName}' is an MLImage column, or the options set a Backbone).",
                Parameter);
        if (image)
        {
            var backbone = options.Backbone ?? ImageBackbone.Default;
            if (backbone.Description != initial.Encoder)
                throw new ArgumentException(
                    $"The initial model's image encoder is '{initial.Encoder}', but the options' Backbone is '{backbone.Description}'. " +
                    "Set Backbone to the initial model's backbone (its weights are replaced by the model's).", Parameter);
        }
        if (!Enum.TryParse<ActivationKind>(initial.Activation, ignoreCase: true, out var activation))
            throw new InvalidDataException($"The initial model's architecture names the activation '{initial.Activation}', which MlNetExt does not know.");

        var o = options.Copy();
        o.EmbeddingDimension = initial.EmbeddingDimension;
        o.Activation = activation;
        if (image)
        {
            o.ProjectionHiddenLayers = initial.HiddenLayers.ToArray();
            o.ImageSize = initial.ImageSize ?? o.ImageSize;
        }
        else
        {
            o.HiddenLayers = initial.HiddenLayers.ToArray();
        }
        return o;
    }

    /// <summary>Throws when the feature column's width is not the one the initial encoder reads.</summary>
    public static void CheckWidth(TripletArchitecture initial, string columnName, int width)
    {
        if (width != initial.InputWidth)
            throw new ArgumentException(
                $"Feature column '{columnName}' has {width} values per row, but the initial model's encoder reads {initial.InputWidth}.", Parameter);
    }

    /// <summary>Throws when the raw pixels' layout is not the one the initial image encoder reads.</summary>
    public static void CheckImageShape(TripletArchitecture initial, string columnName, PixelLayout layout)
    {
        if (layout.Channels != initial.InputChannels || layout.Height != initial.InputHeight || layout.Width != initial.InputWidthPixels)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Feature column '{columnName}' gives images of {layout.Channels} x {layout.Height} x {layout.Width} pixels, but the initial model's encoder reads " +
                    $"{initial.InputChannels} x {initial.InputHeight} x {initial.InputWidthPixels}."),
                Parameter);
    }
}
