"""Writes the two generated tables the closing note's count-regression and uncertainty-regression runs used.

rentals.csv: 8,000 hourly rental counts (commute peaks on weekdays, a midday bump at weekends, temperature, humidity
and wind effects), over-dispersed (gamma-Poisson, dispersion 0.2), with the opening fraction of the hour as exposure.
energy.csv: 6,000 rows whose mean is 2 sin(x1) + 0.5 x2 (+1 in group b) and whose noise sd grows with |x1| (+0.5 in
group c), so a model that predicts a standard deviation has something to find.

Usage: python3 make_tabular_data.py OUTPUT_FOLDER   (needs numpy; Debian: apt-get install python3-numpy)
"""
import os
import sys

import numpy as np


def write_rentals(path, rng, rows=8000):
    hour = rng.integers(0, 24, rows)
    day = rng.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], rows)
    temperature = rng.normal(15, 8, rows)
    humidity = rng.uniform(0.2, 1.0, rows)
    wind = rng.gamma(2, 3, rows)
    open_fraction = rng.uniform(0.5, 1.0, rows)
    weekend = np.isin(day, ['Sat', 'Sun'])
    commute = np.where(weekend, 0.0, 1.2 * np.exp(-((hour - 8) ** 2) / 4) + 1.4 * np.exp(-((hour - 17.5) ** 2) / 5))
    leisure = np.where(weekend, 1.0 * np.exp(-((hour - 14) ** 2) / 18), 0.2)
    log_rate = (1.5 + commute + leisure + 0.05 * temperature - 0.006 * (temperature - 20) ** 2
                - 1.0 * (humidity - 0.5) - 0.03 * wind)
    mean = open_fraction * np.exp(log_rate)
    counts = rng.poisson(rng.gamma(5, mean / 5))
    with open(path, 'w') as f:
        f.write('hour,day,temperature,humidity,windspeed,open_fraction,rentals\n')
        for i in range(rows):
            f.write(f'{hour[i]},{day[i]},{temperature[i]:.2f},{humidity[i]:.3f},{wind[i]:.2f},'
                    f'{open_fraction[i]:.3f},{counts[i]}\n')


def write_energy(path, rng, rows=6000):
    x1 = rng.uniform(-3, 3, rows)
    x2 = rng.normal(0, 1, rows)
    group = rng.choice(['a', 'b', 'c'], rows)
    mean = 2 * np.sin(x1) + 0.5 * x2 + np.where(group == 'b', 1.0, 0.0)
    sd = 0.2 + 0.4 * np.abs(x1) + np.where(group == 'c', 0.5, 0.0)
    y = mean + sd * rng.normal(size=rows)
    with open(path, 'w') as f:
        f.write('x1,x2,group,y\n')
        for i in range(rows):
            f.write(f'{x1[i]:.4f},{x2[i]:.4f},{group[i]},{y[i]:.4f}\n')


if __name__ == '__main__':
    folder = sys.argv[1] if len(sys.argv) > 1 else '.'
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    write_rentals(os.path.join(folder, 'rentals.csv'), rng)
    write_energy(os.path.join(folder, 'energy.csv'), rng)
