namespace MlNetExt.Core.Training;

/// <summary>The learning-rate multiplier of each schedule at a given optimizer step.</summary>
internal static class LearningRateScheduler
{
    /// <summary>Fraction of the steps spent warming up in <see cref="LearningRateSchedule.OneCycle"/>.</summary>
    public const double OneCycleWarmupFraction = 0.3;

    /// <summary>One-cycle starts at lr / this.</summary>
    public const double OneCycleStartDivisor = 25;

    /// <summary>One-cycle ends at lr / this.</summary>
    public const double OneCycleEndDivisor = 1e4;

    /// <summary>The multiplier of the base learning rate for 0-based <paramref name="step"/> of <paramref name="totalSteps"/>.</summary>
    public static double Multiplier(LearningRateSchedule schedule, long step, long totalSteps)
    {
        switch (schedule)
        {
            case LearningRateSchedule.Constant:
                return 1;
            case LearningRateSchedule.Cosine:
                return 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / Math.Max(totalSteps, 1)));
            case LearningRateSchedule.OneCycle:
                {
                    var start = 1 / OneCycleStartDivisor;
                    var end = 1 / OneCycleEndDivisor;
                    var warmup = Math.Max(1, (long)Math.Round(OneCycleWarmupFraction * totalSteps));
                    if (step < warmup)
                        return start + (1 - start) * (1 - Math.Cos(Math.PI * step / warmup)) / 2;
                    var annealSteps = totalSteps - 1 - warmup;
                    var progress = annealSteps <= 0 ? 1 : Math.Min(1, (double)(step - warmup) / annealSteps);
                    return end + (1 - end) * (1 + Math.Cos(Math.PI * progress)) / 2;
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(schedule), $"Unknown learning-rate schedule {schedule}.");
        }
    }
}
