using Microsoft.ML;
using MlNetExt.Core.Training;
using Xunit;

namespace MlNetExt.Core.Tests.Training;

public class EstimatorSeedTests
{
    [Fact]
    public void The_options_seed_wins_and_draws_nothing_from_the_context()
    {
        var ml = new MLContext(1);
        Assert.Equal(42, EstimatorSeed.Resolve(ml, 42, "A"));
        Assert.Equal(EstimatorSeed.Resolve(new MLContext(1), null, "B"), EstimatorSeed.Resolve(ml, null, "B"));
    }

    [Fact]
    public void Drawn_seeds_follow_the_contexts_seed_and_differ_from_one_estimator_to_the_next()
    {
        int[] Draw(int contextSeed)
        {
            var ml = new MLContext(contextSeed);
            return [EstimatorSeed.Resolve(ml, null, "A"), EstimatorSeed.Resolve(ml, null, "B")];
        }

        var first = Draw(1);
        Assert.Equal(first, Draw(1));
        Assert.NotEqual(first[0], first[1]);
        Assert.NotEqual(first, Draw(2));
    }

    [Fact]
    public void A_loop_given_a_resolved_seed_draws_nothing_from_the_context()
    {
        var ml = new MLContext(1);
        _ = new NeuralTrainingLoop(ml, new NeuralTrainerOptions(), "loop", seed: 5);
        Assert.Equal(EstimatorSeed.Resolve(new MLContext(1), null, "A"), EstimatorSeed.Resolve(ml, null, "A"));
    }
}
