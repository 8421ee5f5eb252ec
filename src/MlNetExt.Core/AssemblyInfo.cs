using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.Core.Tests")]
[assembly: InternalsVisibleTo("MlNetExt.Embeddings")]
[assembly: InternalsVisibleTo("MlNetExt.Vision")]
[assembly: InternalsVisibleTo("MlNetExt.Vision.Tests")]
