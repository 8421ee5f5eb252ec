using MlNetExt.Core.Training;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// Options of <see cref="NeuralGaussianTrainer"/>: an MLP that predicts a mean and a standard deviation for each
/// label coordinate, trained on the Gaussian negative log-likelihood.
/// </summary>
public sealed class NeuralGaussianOptions : NeuralTrainerOptions
{
    /// <summary>The predicted mean column: Single for a Single label, a vector of the label's size for a vector label.</summary>
    public string ScoreColumnName = "Score";

    /// <summary>The predicted standard deviation column, the same shape as <see cref="ScoreColumnName"/>.</summary>
    public string StdDevColumnName = "ScoreStdDev";

    /// <summary>Widths of the shared hidden layers; empty gives linear heads on the standardised features.</summary>
    public int[] HiddenLayers = [64, 64];

    /// <summary>The nonlinearity after each hidden layer.</summary>
    public ActivationKind Activation = ActivationKind.SiLU;

    /// <summary>
    /// The first epochs of <see cref="NeuralTrainerOptions.Epochs"/> fit only the mean (squared error on the mean head
    /// and trunk; the standard deviation head is left alone), so the variance does not explain away errors the mean could
    /// still fix. 0 starts with the likelihood at once; equal to Epochs trains a plain squared-error regressor.
    /// </summary>
    public int MeanWarmupEpochs = 0;

    /// <summary>
    /// The beta of the beta-NLL loss (Seitzer et al., 2022): each value's NLL is weighted by stop_gradient(sigma^(2*beta))
    /// (sigma in standardised units). 0 is the plain NLL; 0.5 (the default) keeps rows with a large predicted variance
    /// from starving the mean's gradient; 1 makes the mean's gradient that of squared error. Between 0 and 1.
    /// </summary>
    public float Beta = 0.5f;

    /// <summary>
    /// The smallest standard deviation the network can predict, as a fraction of the label's standard deviation on the
    /// training data (per coordinate): sigma = (softplus(raw) + MinStdDev) * labelStdDev. Keeps the log-likelihood finite.
    /// </summary>
    public float MinStdDev = 1e-4f;
}
