//! Random fields of the demo: spatially correlated noise (white noise smoothed by repeated
//! 3 x 3 box blurs, longitude wrapping), and the ragged edge of the polar-night gap.

use rand::Rng;
use rand_distr::StandardNormal;

/// A row-major grid shape (`rows`, `cols`); columns wrap around in longitude.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub rows: usize,
    pub cols: usize,
}

impl Shape {
    pub fn len(self) -> usize {
        self.rows * self.cols
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// White Gaussian noise smoothed by `passes` 3 x 3 box blurs, rescaled to mean 0, std 1.
/// `passes` box blurs approximate a Gaussian kernel of sigma `sqrt(2 * passes / 3)` cells.
pub fn correlated_noise<R: Rng>(rng: &mut R, shape: Shape, passes: usize) -> Vec<f64> {
    let white: Vec<f64> = (0..shape.len()).map(|_| rng.sample(StandardNormal)).collect();
    standardize(blur(&white, shape, passes))
}

/// `passes` 3 x 3 box blurs; latitude edges are clamped, longitude wraps.
pub fn blur(values: &[f64], shape: Shape, passes: usize) -> Vec<f64> {
    let mut cur = values.to_vec();
    let mut next = vec![0.0; cur.len()];
    for _ in 0..passes {
        for i in 0..shape.rows {
            for j in 0..shape.cols {
                next[i * shape.cols + j] = neighbours(shape, i, j).map(|k| cur[k]).sum::<f64>() / 9.0;
            }
        }
        std::mem::swap(&mut cur, &mut next);
    }
    cur
}

/// Indices of the 3 x 3 neighbourhood of `(i, j)` including itself (9 entries; rows clamped,
/// so an edge row counts its own row twice, columns wrap).
pub fn neighbours(shape: Shape, i: usize, j: usize) -> impl Iterator<Item = usize> {
    let rows = [i.saturating_sub(1), i, (i + 1).min(shape.rows - 1)];
    let cols = [(j + shape.cols - 1) % shape.cols, j, (j + 1) % shape.cols];
    rows.into_iter()
        .flat_map(move |r| cols.into_iter().map(move |c| r * shape.cols + c))
}

/// Rescale to mean 0 and standard deviation 1 (sums in index order, so bit-reproducible).
pub fn standardize(mut v: Vec<f64>) -> Vec<f64> {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    let scale = if sd > 0.0 { 1.0 / sd } else { 0.0 };
    v.iter_mut().for_each(|x| *x = (*x - mean) * scale);
    v
}

/// Northern edge of valid data per column: about 57.5 N, wandering smoothly within 55..60 N.
pub fn ragged_edge<R: Rng>(rng: &mut R, cols: usize) -> Vec<f64> {
    let white: Vec<f64> = (0..cols).map(|_| rng.sample(StandardNormal)).collect();
    let smooth = standardize(blur(&white, Shape { rows: 1, cols }, 6));
    smooth.iter().map(|z| (57.5 + 1.5 * z).clamp(55.0, 60.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn noise_is_standardized_and_correlated() {
        let shape = Shape { rows: 40, cols: 80 };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let v = correlated_noise(&mut rng, shape, 4);
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let var = v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64;
        assert!(mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-9);
        // neighbours along a row are strongly correlated after 4 blurs; white noise would give ~0
        let lag1: f64 = (0..shape.rows)
            .flat_map(|i| (0..shape.cols).map(move |j| (i, j)))
            .map(|(i, j)| v[i * shape.cols + j] * v[i * shape.cols + (j + 1) % shape.cols])
            .sum::<f64>()
            / v.len() as f64;
        assert!(lag1 > 0.7, "lag-1 correlation {lag1}");
    }

    #[test]
    fn edge_stays_between_55_and_60_north() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let e = ragged_edge(&mut rng, 360);
        assert!(e.iter().all(|&x| (55.0..=60.0).contains(&x)));
        let spread = e.iter().cloned().fold(f64::MIN, f64::max) - e.iter().cloned().fold(f64::MAX, f64::min);
        assert!(spread > 2.0, "the edge is ragged, not flat: spread {spread}");
    }
}
