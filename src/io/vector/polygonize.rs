//! Polygons of a label raster along the cells' edges: one polygon per 4-connected component of
//! each label (the default connectivity of GDAL's `gdal_polygonize`), its outer ring and one
//! ring per hole, with only the corners of the cell-edge boundary as vertices.
//!
//! Written here rather than taken from a crate: the georust crates (`geo`, `contour`) give
//! marching-squares isolines through cell centres, interpolated or not, never the boundary on
//! the cells' own edges that makes a polygon's area the sum of its cells' areas; GDAL's
//! polygonizer is C++ and would need GDAL installed.
//!
//! Tracing (crack following: the boundary runs between cells, on the lattice of their corners,
//! Rosenfeld and Kak, "Digital Picture Processing", 1982): each boundary edge is walked once with its component on the left; at a corner the walk turns
//! right when the cell ahead on the right belongs to the component, goes straight when the one
//! ahead on the left does, and turns left otherwise. At a saddle corner (the component on two
//! diagonal cells only) this turns right, so the ring stays beside one complementary region:
//! every ring is simple, and rings meet only at such single corners (a hole touching its shell
//! at one point, which OGC Simple Features and GEOS accept, where a self-touching ring is
//! invalid), the same rings GDAL writes. Walking with the component on the left makes the outer
//! ring counter-clockwise (positive area with north up) and the holes clockwise, which tells
//! them apart.

use super::VectorError;
use std::collections::BTreeMap;

/// The label of a cell that belongs to no polygon (no data, not selected).
pub const NO_LABEL: u32 = u32::MAX;

/// A closed ring of cell corners `(col, row)` (corner `(c, r)` is the north-west corner of
/// cell `(r, c)`; corner row `n_rows` is the south edge of the raster), first vertex repeated
/// last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ring {
    pub vertices: Vec<(u32, u32)>,
}

impl Ring {
    /// Twice the signed area in cells with north up (columns east, rows south): positive for a
    /// counter-clockwise (outer) ring, negative for a hole.
    pub fn doubled_area(&self) -> i64 {
        // The shoelace formula with y = -row.
        -self
            .vertices
            .windows(2)
            .map(|w| {
                let (c0, r0) = (i64::from(w[0].0), i64::from(w[0].1));
                let (c1, r1) = (i64::from(w[1].0), i64::from(w[1].1));
                c0 * r1 - c1 * r0
            })
            .sum::<i64>()
    }
}

/// One 4-connected component of a label: its outer ring and its holes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Polygon {
    pub exterior: Ring,
    pub holes: Vec<Ring>,
    /// Cells of the component.
    pub cells: usize,
}

/// The polygons of every label present, by label; within a label in the order of their
/// north-west-most cell (row-major).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Polygons {
    pub by_label: BTreeMap<u32, Vec<Polygon>>,
}

/// Directions on the corner lattice, rows growing southwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    East,
    South,
    West,
    North,
}

impl Dir {
    fn step(self) -> (i64, i64) {
        match self {
            Dir::East => (1, 0),
            Dir::South => (0, 1),
            Dir::West => (-1, 0),
            Dir::North => (0, -1),
        }
    }
    fn right(self) -> Dir {
        match self {
            Dir::East => Dir::South,
            Dir::South => Dir::West,
            Dir::West => Dir::North,
            Dir::North => Dir::East,
        }
    }
    fn left(self) -> Dir {
        match self {
            Dir::East => Dir::North,
            Dir::North => Dir::West,
            Dir::West => Dir::South,
            Dir::South => Dir::East,
        }
    }
    /// The cells `(row, col)` left and right of the edge leaving corner `(c, r)` this way.
    fn sides(self, c: i64, r: i64) -> ((i64, i64), (i64, i64)) {
        match self {
            Dir::East => ((r - 1, c), (r, c)),
            Dir::West => ((r, c - 1), (r - 1, c - 1)),
            Dir::South => ((r, c), (r, c - 1)),
            Dir::North => ((r - 1, c - 1), (r - 1, c)),
        }
    }
}

/// The polygons of `labels` (row-major, `n_rows` x `n_cols`, [`NO_LABEL`] where no cell).
pub fn polygonize(labels: &[u32], n_rows: usize, n_cols: usize) -> Result<Polygons, VectorError> {
    if labels.len() != n_rows.saturating_mul(n_cols) {
        return Err(VectorError::Shape {
            values: labels.len(),
            n_rows,
            n_cols,
        });
    }
    // Corner indices are u32 and ring areas i64: a raster beyond u32 corners is refused.
    if n_rows >= u32::MAX as usize || n_cols >= u32::MAX as usize || labels.len() >= u32::MAX as usize {
        return Err(VectorError::TooLarge { n_rows, n_cols });
    }
    let (components, cells) = components(labels, n_rows, n_cols);
    let mut rings: Vec<(Vec<Ring>, Option<Ring>)> = vec![(Vec::new(), None); cells.len()];
    // West-going horizontal edges walked: edge (r, c) runs from corner (c + 1, r) to (c, r).
    let mut walked = vec![false; (n_rows + 1) * n_cols];
    let comp_at = |r: i64, c: i64| -> u32 {
        if r < 0 || c < 0 || r >= n_rows as i64 || c >= n_cols as i64 {
            return NO_LABEL;
        }
        components[r as usize * n_cols + c as usize]
    };
    let max_steps = 4 * (n_rows + 1) * (n_cols + 1) + 4;
    for r in 0..n_rows {
        for c in 0..n_cols {
            let comp = components[r * n_cols + c];
            // Every ring has a west-going edge with its component below: start there.
            if comp == NO_LABEL || comp_at(r as i64 - 1, c as i64) == comp || walked[r * n_cols + c] {
                continue;
            }
            let ring = trace(comp, (c as i64 + 1, r as i64), &comp_at, &mut walked, n_cols, max_steps)?;
            let slot = &mut rings[comp as usize];
            if ring.doubled_area() > 0 {
                slot.1 = Some(ring);
            } else {
                slot.0.push(ring);
            }
        }
    }
    let mut polygons = Polygons::default();
    for (comp, (holes, exterior)) in rings.into_iter().enumerate() {
        let (label, n) = cells[comp];
        let exterior = exterior.ok_or(VectorError::Unclosed)?;
        polygons.by_label.entry(label).or_default().push(Polygon {
            exterior,
            holes,
            cells: n,
        });
    }
    Ok(polygons)
}

/// The 4-connected component of each cell ([`NO_LABEL`] where none), numbered in row-major
/// order of their first cell, and per component its label and cell count.
fn components(labels: &[u32], n_rows: usize, n_cols: usize) -> (Vec<u32>, Vec<(u32, usize)>) {
    let mut comp = vec![NO_LABEL; labels.len()];
    let mut info: Vec<(u32, usize)> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..labels.len() {
        let label = labels[start];
        if label == NO_LABEL || comp[start] != NO_LABEL {
            continue;
        }
        let id = info.len() as u32;
        let mut n = 0;
        comp[start] = id;
        stack.push(start);
        while let Some(i) = stack.pop() {
            n += 1;
            let (r, c) = (i / n_cols, i % n_cols);
            let mut visit = |j: usize| {
                if labels[j] == label && comp[j] == NO_LABEL {
                    comp[j] = id;
                    stack.push(j);
                }
            };
            if r > 0 {
                visit(i - n_cols);
            }
            if r + 1 < n_rows {
                visit(i + n_cols);
            }
            if c > 0 {
                visit(i - 1);
            }
            if c + 1 < n_cols {
                visit(i + 1);
            }
        }
        info.push((label, n));
    }
    (comp, info)
}

/// Walk the ring of `comp` that leaves `start` westwards (see the module notes), keeping the
/// corners where it turns.
fn trace(
    comp: u32,
    start: (i64, i64),
    comp_at: &impl Fn(i64, i64) -> u32,
    walked: &mut [bool],
    n_cols: usize,
    max_steps: usize,
) -> Result<Ring, VectorError> {
    let (mut c, mut r) = start;
    let mut dir = Dir::West;
    let mut corners: Vec<(u32, u32)> = Vec::new();
    for _ in 0..max_steps {
        if dir == Dir::West {
            // The edge from (c, r) to (c - 1, r).
            walked[r as usize * n_cols + (c - 1) as usize] = true;
        }
        let (dc, dr) = dir.step();
        (c, r) = (c + dc, r + dr);
        let (ahead_left, ahead_right) = dir.sides(c, r);
        let next = if comp_at(ahead_right.0, ahead_right.1) == comp {
            dir.right()
        } else if comp_at(ahead_left.0, ahead_left.1) == comp {
            dir
        } else {
            dir.left()
        };
        if next != dir {
            corners.push((c as u32, r as u32));
        }
        dir = next;
        if (c, r) == start && dir == Dir::West {
            if let Some(&first) = corners.first() {
                corners.push(first);
            }
            return Ok(Ring { vertices: corners });
        }
    }
    Err(VectorError::Unclosed)
}

#[cfg(test)]
#[path = "polygonize_tests.rs"]
mod tests;
