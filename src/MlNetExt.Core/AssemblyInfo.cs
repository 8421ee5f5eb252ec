using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.Core.Tests")]
[assembly: InternalsVisibleTo("MlNetExt.Core.GpuVariant.Tests")]
// The plugins share Core's column reader, ONNX metadata scheme and ONNX weight reader (internal API).
[assembly: InternalsVisibleTo("MlNetExt.ImageAugmentation")]
[assembly: InternalsVisibleTo("MlNetExt.Vision")]
[assembly: InternalsVisibleTo("MlNetExt.Regression")]
[assembly: InternalsVisibleTo("MlNetExt.Embeddings")]
[assembly: InternalsVisibleTo("MlNetExt.Vision.Tests")]
