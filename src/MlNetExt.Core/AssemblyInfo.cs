using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.Core.Tests")]
