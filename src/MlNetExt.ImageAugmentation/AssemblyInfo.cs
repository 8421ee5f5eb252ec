using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.ImageAugmentation.Tests")]
