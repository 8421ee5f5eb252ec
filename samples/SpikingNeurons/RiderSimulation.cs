namespace SpikingNeurons;

/// <summary>One covariate sample: the rider's state at a time.</summary>
public sealed class CovariateSample
{
    public double Time { get; set; }
    public float Speed { get; set; }      // m/s
    public float Lean { get; set; }       // rad, + = right
    public float Throttle { get; set; }   // 0..1
    public float Brake { get; set; }      // 0..1
}

/// <summary>A motorcycle rider's speed, lean, throttle and brake as smooth random (Ornstein-Uhlenbeck) processes.</summary>
public static class RiderSimulation
{
    public static CovariateSample[] Simulate(double durationSeconds, double dt, Random rng)
    {
        int n = (int)Math.Round(durationSeconds / dt);
        var samples = new CovariateSample[n];
        double speed = 18, lean = 0, drive = 0, brakeDrive = -1;
        for (int i = 0; i < n; i++)
        {
            speed = Step(speed, mean: 18, sd: 7, tau: 10, dt, rng);
            lean = Step(lean, mean: 0, sd: 0.35, tau: 2, dt, rng);
            drive = Step(drive, mean: 0, sd: 1, tau: 1.5, dt, rng);
            brakeDrive = Step(brakeDrive, mean: 0, sd: 1, tau: 1, dt, rng);
            double brake = Math.Clamp((brakeDrive - 1) / 1.5, 0, 1);
            double throttle = (1 - brake) / (1 + Math.Exp(-2 * drive));
            samples[i] = new CovariateSample
            {
                Time = i * dt,
                Speed = (float)Math.Max(0.5, speed),
                Lean = (float)lean,
                Throttle = (float)throttle,
                Brake = (float)brake,
            };
        }
        return samples;
    }

    private static double Step(double x, double mean, double sd, double tau, double dt, Random rng)
        => x - (x - mean) / tau * dt + sd * Math.Sqrt(2 * dt / tau) * Normal(rng);

    public static double Normal(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
