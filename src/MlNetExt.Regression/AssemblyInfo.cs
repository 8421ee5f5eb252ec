using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MlNetExt.Regression.Tests")]
