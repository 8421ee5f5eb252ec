Console.WriteLine("SpikingNeurons sample: not yet implemented.");
