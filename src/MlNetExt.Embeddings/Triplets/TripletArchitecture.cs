namespace MlNetExt.Embeddings.Triplets;

/// <summary>The triplet encoder's shape as written to <c>mlnetext.architecture</c> (see docs/onnx-metadata.md).</summary>
/// <param name="Network"><see cref="MlpNetwork"/> or <see cref="ImageNetwork"/>.</param>
/// <param name="Encoder">What the encoder is: "mlp", or the image backbone's description.</param>
/// <param name="InputWidth">Values per input row (features, or raw pixels C x H x W).</param>
/// <param name="EmbeddingDimension">Width of the L2-normalised output.</param>
/// <param name="HiddenLayers">The MLP's hidden layers, or the image encoder's projection head's.</param>
/// <param name="Activation">Hidden activation (the options' spelling).</param>
/// <param name="InputChannels">Image encoders: channels of the raw pixels (null for an MLP).</param>
/// <param name="InputHeight">Image encoders: height of the raw pixels.</param>
/// <param name="InputWidthPixels">Image encoders: width of the raw pixels.</param>
/// <param name="ImageSize">Image encoders: the side the backbone sees.</param>
/// <param name="StateDictPrefix">Prefix of the network's state_dict entries among the graph's initializers.</param>
internal sealed record TripletArchitecture(string Network, string Encoder, int InputWidth, int EmbeddingDimension, int[] HiddenLayers,
    string Activation, int? InputChannels, int? InputHeight, int? InputWidthPixels, int? ImageSize, string StateDictPrefix)
{
    public const string MlpNetwork = "triplet_mlp";
    public const string ImageNetwork = "triplet_image_encoder";
}
