using MlNetExt.Vision.Backbones;

namespace MlNetExt.Vision.Catalog;

/// <summary>
/// The pretrained weights MlNetExt knows. URLs and SHA-256 values come only from public documentation (the Git LFS
/// details Hugging Face publishes for each file); entries without a published hash are marked unverified and are
/// not downloaded automatically.
/// </summary>
public static class PretrainedCatalog
{
    /// <summary>torchvision's ResNet-18 ImageNet weights as republished by timm (<c>timm/resnet18.tv_in1k</c>).</summary>
    public static PretrainedWeights ResNet18ImageNet { get; } = new("resnet18.imagenet", "resnet18", "resnet18.tv_in1k.safetensors",
        () => new BackboneOptions())
    {
        Url = new Uri("https://huggingface.co/timm/resnet18.tv_in1k/resolve/a987fd6b60f845221bfff84b6f0191273ba56ead/model.safetensors"),
        Sha256 = "694f673df6520a3158624e8a89af086f59923ee4cd7436fe5bc3bc71d295ad81",
        ApproximateSize = "46.8 MB",
        License = "BSD-3-Clause",
        Documentation = new Uri("https://huggingface.co/timm/resnet18.tv_in1k/blob/main/model.safetensors"),
        Description = "torchvision ResNet-18 IMAGENET1K_V1 weights (1000 classes), timm's safetensors copy; torchvision parameter names.",
    };

    /// <summary>torchvision's ResNet-34 ImageNet weights (<c>timm/resnet34.tv_in1k</c>); no published hash found: unverified.</summary>
    public static PretrainedWeights ResNet34ImageNet { get; } = new("resnet34.imagenet", "resnet34", "resnet34.tv_in1k.safetensors",
        () => new BackboneOptions())
    {
        Url = new Uri("https://huggingface.co/timm/resnet34.tv_in1k/resolve/main/model.safetensors"),
        ApproximateSize = "87.3 MB",
        License = "BSD-3-Clause",
        Documentation = new Uri("https://huggingface.co/timm/resnet34.tv_in1k"),
        Description = "torchvision ResNet-34 IMAGENET1K_V1 weights, timm's safetensors copy. UNVERIFIED: no published SHA-256 was available when this catalog was written.",
    };

    /// <summary>torchvision's ResNet-50 ImageNet weights as republished by timm (<c>timm/resnet50.tv_in1k</c>).</summary>
    public static PretrainedWeights ResNet50ImageNet { get; } = new("resnet50.imagenet", "resnet50", "resnet50.tv_in1k.safetensors",
        () => new BackboneOptions())
    {
        Url = new Uri("https://huggingface.co/timm/resnet50.tv_in1k/resolve/aa6c2d36d56bc0209040c02b5a7b7d7bf11d57b8/model.safetensors"),
        Sha256 = "5d061a3c593d795bfe682d9b152bafbcf550579873492def3515b46db1189888",
        ApproximateSize = "102 MB",
        License = "BSD-3-Clause (torchvision weights)",
        Documentation = new Uri("https://huggingface.co/timm/resnet50.tv_in1k/blob/aa6c2d36d56bc0209040c02b5a7b7d7bf11d57b8/model.safetensors"),
        Description = "torchvision ResNet-50 IMAGENET1K_V1 weights (1000 classes), timm's safetensors copy; torchvision parameter names.",
    };

    /// <summary>
    /// torchvision's MobileNetV2 ImageNet weights, torchvision's own <c>.pth</c> file (read by
    /// <see cref="MlNetExt.Vision.Weights.PyTorchCheckpoint"/>, no conversion needed). torchvision publishes no full
    /// hash, so this entry is unverified.
    /// </summary>
    public static PretrainedWeights MobileNetV2ImageNet { get; } = new("mobilenet_v2.imagenet", "mobilenet_v2", "mobilenet_v2-b0353104.pth",
        () => new MobileNetV2Options())
    {
        Url = new Uri("https://download.pytorch.org/models/mobilenet_v2-b0353104.pth"),
        ApproximateSize = "13.6 MB",
        License = "BSD-3-Clause",
        Documentation = new Uri("https://pytorch.org/vision/stable/models/generated/torchvision.models.mobilenet_v2.html"),
        Description = "torchvision MobileNetV2 IMAGENET1K_V1 weights (1000 classes), torchvision's torch.save state dict. UNVERIFIED: torchvision "
            + "publishes only the first 8 hex digits of the SHA-256 (b0353104, in the file name).",
    };

    /// <summary>
    /// Shipped with MlNetExt: Keras' ImageNet MobileNetV2, stem and blocks 0..10 (torchvision <c>features.0</c> ..
    /// <c>features.11</c>, 96 output channels), Keras-compatible padding and BatchNorm epsilon; see
    /// <c>models/mobilenet_v2_imagenet_b10.md</c>.
    /// </summary>
    public static PretrainedWeights MobileNetV2ImageNetBlock10 { get; } = new("mobilenet_v2.imagenet_b10", "mobilenet_v2", "mobilenet_v2_imagenet_b10.safetensors",
        () => new MobileNetV2Options { KerasCompatible = true, TruncateAfter = MobileNetV2Options.StageOfBlock(10) })
    {
        Sha256 = "6324ffe868e2d88cb77053356aee2374594839fa13bf6b54cc067ed3b484360a",
        SizeBytes = 1_295_328,
        ApproximateSize = "1.3 MB",
        License = "MIT (nsfwjs 4.4.0; weights from Keras Applications, MIT)",
        IsShipped = true,
        PixelScaling = PixelScaling.MinusOneToOne,
        Description = "Keras ImageNet MobileNetV2 feature extractor truncated after block_10 (uint8-dequantised copy shipped in nsfwjs), torchvision names.",
    };

    /// <summary>Every entry, in catalog order.</summary>
    public static IReadOnlyList<PretrainedWeights> Entries { get; } = new[]
    {
        ResNet18ImageNet, ResNet34ImageNet, ResNet50ImageNet, MobileNetV2ImageNet, MobileNetV2ImageNetBlock10,
    };

    /// <summary>The entry with id <paramref name="id"/>; throws listing the known ids otherwise.</summary>
    public static PretrainedWeights Get(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Entries.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown pretrained weights '{id}'; known: {string.Join(", ", Entries.Select(e => e.Id))}.", nameof(id));
    }
}
