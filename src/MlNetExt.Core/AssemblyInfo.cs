using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.Core.Tests")]
[assembly: InternalsVisibleTo("MlNetExt.Embeddings")]
