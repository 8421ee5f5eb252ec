using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.Vision.Tests")]
[assembly: InternalsVisibleTo("MlNetExt.Embeddings")]
