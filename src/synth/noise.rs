//! Deterministic hashed noise for the fine-resolution demo. Every value is a pure function of
//! `(seed, stream, position)`, so a row block gives the same bits whatever thread computes it
//! and in whatever order.
//!
//! - Hash: the SplitMix64 finalizer (Steele, Lea & Flood 2014, "Fast splittable pseudorandom
//!   number generators"), a bijective 64-bit mixer, chained over the inputs.
//! - Normal deviates: Box-Muller, `sqrt(-2 ln u1) cos(2 pi u2)`.
//! - Value noise (Perlin 1985 lattice noise with values instead of gradients): independent
//!   uniform values of unit variance at the nodes of a lat/lon lattice of spacing `w` degrees (longitude wraps),
//!   blended with smoothstep weights `s(t) = 3t^2 - 2t^3`. The blend shrinks the variance by
//!   `E[s^2 + (1 - s)^2]^2 = (26/35)^2` on average, which [`fbm`] divides out.

/// SplitMix64 finalizer.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash of a seed, a stream id and two integer coordinates.
#[inline]
pub fn hash(seed: u64, stream: u64, a: u64, b: u64) -> u64 {
    mix64(mix64(mix64(seed ^ mix64(stream)) ^ a) ^ b)
}

/// Uniform in `[0, 1)` from the top 53 bits.
#[inline]
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal deviate from one hash (Box-Muller on two derived uniforms).
#[inline]
pub fn normal(h: u64) -> f64 {
    let u1 = 1.0 - unit(h); // (0, 1]
    let u2 = unit(mix64(h));
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

const SQRT_3: f64 = 1.732_050_807_568_877_2;

/// Smoothstep `3t^2 - 2t^3`.
#[inline]
fn smooth(t: f64) -> f64 {
    t * t * (3.0 - 2.0 * t)
}

/// Value noise of lattice spacing `w` degrees (`360 / w` whole) at (`lat`, `lon`).
pub fn value_noise(seed: u64, stream: u64, w: f64, lat: f64, lon: f64) -> f64 {
    let n_lon = (360.0 / w).round() as u64;
    let fy = (90.0 - lat) / w;
    let fx = (lon + 180.0) / w;
    let (y0, x0) = (fy.floor(), fx.floor());
    let (ty, tx) = (smooth(fy - y0), smooth(fx - x0));
    let a = y0.max(0.0) as u64;
    let b = (x0.rem_euclid(n_lon as f64)) as u64 % n_lon;
    let b1 = (b + 1) % n_lon;
    // uniform node values of unit variance: (2u - 1) sqrt(3)
    let node = |r: u64, c: u64| (2.0 * unit(hash(seed, stream, r, c)) - 1.0) * SQRT_3;
    let top = node(a, b) * (1.0 - tx) + node(a, b1) * tx;
    let bottom = node(a + 1, b) * (1.0 - tx) + node(a + 1, b1) * tx;
    top * (1.0 - ty) + bottom * ty
}

/// Mean variance of one octave of [`value_noise`], `(26/35)^2`.
const OCTAVE_VARIANCE: f64 = (26.0 / 35.0) * (26.0 / 35.0);

/// A sum of value-noise octaves `(spacing in degrees, amplitude)`, scaled to unit variance on
/// average: `sum_o a_o v_o / sqrt(OCTAVE_VARIANCE sum_o a_o^2)`.
pub fn fbm(seed: u64, stream: u64, octaves: &[(f64, f64)], lat: f64, lon: f64) -> f64 {
    let mut sum = 0.0;
    let mut power = 0.0;
    for (o, &(w, a)) in octaves.iter().enumerate() {
        sum += a * value_noise(seed, stream.wrapping_mul(16).wrapping_add(o as u64), w, lat, lon);
        power += a * a;
    }
    sum / (OCTAVE_VARIANCE * power).sqrt()
}

#[cfg(test)]
#[path = "noise_tests.rs"]
mod tests;
