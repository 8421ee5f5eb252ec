using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.Embeddings.Tests")]
