//! Deterministic parallel helpers.
//!
//! Floating-point sums depend on their order, so every parallel reduction in landclust splits
//! the work into fixed-size chunks (independent of the thread count), reduces each chunk
//! sequentially and combines the chunk results in chunk order. The same input therefore gives
//! the same bits with `RAYON_NUM_THREADS=1` or `=2`.

use rayon::prelude::*;

/// Rows per chunk for parallel reductions; fixed so results never depend on the thread count.
pub const CHUNK_ROWS: usize = 2048;

/// Map each fixed chunk `[start, end)` of `0..n` in parallel, returning results in chunk order.
pub fn map_chunks<T, F>(n: usize, chunk: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize, usize) -> T + Sync + Send,
{
    let chunk = chunk.max(1);
    let n_chunks = n.div_ceil(chunk);
    (0..n_chunks)
        .into_par_iter()
        .map(|c| f(c * chunk, ((c + 1) * chunk).min(n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_range_in_order() {
        let parts = map_chunks(10, 3, |a, b| (a, b));
        assert_eq!(parts, vec![(0, 3), (3, 6), (6, 9), (9, 10)]);
        assert!(map_chunks(0, 3, |a, b| (a, b)).is_empty());
    }
}
