namespace MlNetExt.Core.Training;

/// <summary>Early stopping on the validation loss. Needs validation data; the best weights are restored at the end.</summary>
public sealed class EarlyStoppingOptions
{
    /// <summary>Number of epochs without an improvement larger than <see cref="MinDelta"/> before training stops.</summary>
    public int Patience = 10;

    /// <summary>The smallest decrease of the validation loss that counts as an improvement.</summary>
    public double MinDelta = 0;
}
