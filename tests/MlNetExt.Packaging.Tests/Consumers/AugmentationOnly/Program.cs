// Never run: PackagedConsumerTests only builds this application to read its build warnings.
Console.WriteLine(typeof(MlNetExt.ImageAugmentation.ImageAugmentationCatalog).Assembly.GetName().Name);
