use super::*;

const N: u32 = NO_LABEL;

fn raster(rows: &[&[u32]]) -> (Vec<u32>, usize, usize) {
    let n_cols = rows[0].len();
    (
        rows.iter().flat_map(|r| r.iter().copied()).collect(),
        rows.len(),
        n_cols,
    )
}

fn run(rows: &[&[u32]]) -> Polygons {
    let (labels, n_rows, n_cols) = raster(rows);
    let p = polygonize(&labels, n_rows, n_cols).unwrap();
    check_invariants(&p, &labels, n_rows, n_cols);
    p
}

/// (polygons, holes) of `label`.
fn counts(p: &Polygons, label: u32) -> (usize, usize) {
    let ps = p.by_label.get(&label).map_or(&[][..], Vec::as_slice);
    (ps.len(), ps.iter().map(|p| p.holes.len()).sum())
}

/// What every polygonization must satisfy: per polygon the rings' areas add up to its cells,
/// the outer ring is counter-clockwise and the holes clockwise, each ring is closed and simple
/// (no corner twice), has corners only (no three collinear vertices) and runs along cell edges;
/// every labelled cell is in exactly one polygon.
fn check_invariants(p: &Polygons, labels: &[u32], n_rows: usize, n_cols: usize) {
    let mut total = 0;
    for ps in p.by_label.values() {
        for poly in ps {
            total += poly.cells;
            assert!(poly.exterior.doubled_area() > 0, "{poly:?}");
            let mut sum = poly.exterior.doubled_area();
            for h in &poly.holes {
                assert!(h.doubled_area() < 0, "{poly:?}");
                sum += h.doubled_area();
            }
            assert_eq!(sum, 2 * poly.cells as i64, "{poly:?}");
            for ring in std::iter::once(&poly.exterior).chain(&poly.holes) {
                let v = &ring.vertices;
                assert!(v.len() >= 5, "{ring:?}");
                assert_eq!(v.first(), v.last());
                let open = &v[..v.len() - 1];
                let mut seen = std::collections::HashSet::new();
                for &q in open {
                    assert!(seen.insert(q), "corner {q:?} twice in {ring:?}");
                    assert!(q.0 as usize <= n_cols && q.1 as usize <= n_rows);
                }
                for i in 0..open.len() {
                    let (a, b, c) = (open[i], open[(i + 1) % open.len()], open[(i + 2) % open.len()]);
                    assert!(a.0 == b.0 || a.1 == b.1, "diagonal edge in {ring:?}");
                    let straight = (a.0 == b.0 && b.0 == c.0) || (a.1 == b.1 && b.1 == c.1);
                    assert!(!straight, "collinear corner {b:?} in {ring:?}");
                }
            }
        }
    }
    assert_eq!(total, labels.iter().filter(|&&l| l != NO_LABEL).count());
}

#[test]
fn one_cell_is_a_square() {
    let p = run(&[&[7]]);
    assert_eq!(counts(&p, 7), (1, 0));
    // Counter-clockwise with north up: west along the top, down the west side, east, north.
    assert_eq!(
        p.by_label[&7][0].exterior.vertices,
        vec![(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)]
    );
}

#[test]
fn a_block_touching_every_grid_edge_has_four_corners() {
    let p = run(&[&[2, 2, 2], &[2, 2, 2]]);
    assert_eq!(counts(&p, 2), (1, 0));
    assert_eq!(p.by_label[&2][0].exterior.vertices.len(), 5);
    assert_eq!(p.by_label[&2][0].exterior.doubled_area(), 12);
}

#[test]
fn a_ring_around_another_label_has_a_hole() {
    let p = run(&[&[1, 1, 1], &[1, 0, 1], &[1, 1, 1]]);
    assert_eq!(counts(&p, 1), (1, 1));
    assert_eq!(counts(&p, 0), (1, 0));
    assert_eq!(p.by_label[&1][0].holes[0].doubled_area(), -2);
}

#[test]
fn a_ring_around_missing_cells_has_a_hole() {
    let p = run(&[&[1, 1, 1, 1], &[1, N, N, 1], &[1, 1, 1, 1]]);
    assert_eq!(counts(&p, 1), (1, 1));
    assert_eq!(p.by_label.len(), 1);
    assert_eq!(p.by_label[&1][0].holes[0].doubled_area(), -4);
}

#[test]
fn diagonal_cells_are_separate_polygons_both_ways() {
    for rows in [[[1, 0], [0, 1]], [[0, 1], [1, 0]]] {
        let p = run(&[&rows[0], &rows[1]]);
        assert_eq!(counts(&p, 1), (2, 0));
        assert_eq!(counts(&p, 0), (2, 0));
    }
}

#[test]
fn a_checkerboard_is_one_polygon_per_cell() {
    let rows: Vec<Vec<u32>> = (0..5).map(|r| (0..6).map(|c| (r + c) % 2).collect()).collect();
    let refs: Vec<&[u32]> = rows.iter().map(Vec::as_slice).collect();
    let p = run(&refs);
    assert_eq!(counts(&p, 0), (15, 0));
    assert_eq!(counts(&p, 1), (15, 0));
}

#[test]
fn a_hole_touching_its_shell_at_a_corner_is_a_hole_of_its_own() {
    // The C closes diagonally at corner (2, 2): the hole (1, 1) touches the outside only there
    // (as gdal_polygonize gives it: one shell, one hole, both simple).
    let p = run(&[&[1, 1, 1, N], &[1, 0, 1, N], &[1, 1, N, 2], &[N, N, 2, 2]]);
    assert_eq!(counts(&p, 1), (1, 1));
    let poly = &p.by_label[&1][0];
    assert!(poly.exterior.vertices.contains(&(2, 2)));
    assert!(poly.holes[0].vertices.contains(&(2, 2)));
    // The same C opened the other way round (mirrored left to right).
    let p = run(&[&[N, 1, 1, 1], &[N, 1, 0, 1], &[2, N, 1, 1], &[2, 2, N, N]]);
    assert_eq!(counts(&p, 1), (1, 1));
}

#[test]
fn two_holes_touching_at_a_corner_are_two_holes() {
    let p = run(&[&[1, 1, 1, 1], &[1, 0, 1, 1], &[1, 1, 0, 1], &[1, 1, 1, 1]]);
    assert_eq!(counts(&p, 1), (1, 2));
    assert_eq!(counts(&p, 0), (2, 0));
}

#[test]
fn an_island_in_a_lake_is_its_own_polygon() {
    let p = run(&[
        &[1, 1, 1, 1, 1],
        &[1, 0, 0, 0, 1],
        &[1, 0, 1, 0, 1],
        &[1, 0, 0, 0, 1],
        &[1, 1, 1, 1, 1],
    ]);
    assert_eq!(counts(&p, 1), (2, 1));
    assert_eq!(counts(&p, 0), (1, 1));
}

#[test]
fn wrong_shapes_are_refused() {
    assert!(matches!(polygonize(&[1, 2, 3], 2, 2), Err(VectorError::Shape { .. })));
    assert_eq!(polygonize(&[], 0, 0).unwrap(), Polygons::default());
}

/// Holes of each component counted independently: the 4-connected regions of the cells not in
/// the component (the grid padded by one such ring) that do not reach the padding.
fn reference_counts(labels: &[u32], n_rows: usize, n_cols: usize) -> BTreeMap<u32, (usize, usize)> {
    let (w, h) = (n_cols + 2, n_rows + 2);
    let at = |r: usize, c: usize| -> u32 {
        if r == 0 || c == 0 || r > n_rows || c > n_cols {
            N
        } else {
            labels[(r - 1) * n_cols + c - 1]
        }
    };
    let fill = |inside: &dyn Fn(usize, usize) -> bool, seen: &mut Vec<bool>, start: (usize, usize)| {
        let mut stack = vec![start];
        seen[start.0 * w + start.1] = true;
        let mut touches_edge = false;
        while let Some((r, c)) = stack.pop() {
            touches_edge |= r == 0 || c == 0 || r == h - 1 || c == w - 1;
            for (dr, dc) in [(0i64, 1i64), (0, -1), (1, 0), (-1, 0)] {
                let (nr, nc) = (r as i64 + dr, c as i64 + dc);
                if nr < 0 || nc < 0 || nr >= h as i64 || nc >= w as i64 {
                    continue;
                }
                let (nr, nc) = (nr as usize, nc as usize);
                if !seen[nr * w + nc] && inside(nr, nc) {
                    seen[nr * w + nc] = true;
                    stack.push((nr, nc));
                }
            }
        }
        touches_edge
    };
    let mut out: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
    let mut in_component = vec![false; w * h];
    for r in 1..=n_rows {
        for c in 1..=n_cols {
            let label = at(r, c);
            if label == N || in_component[r * w + c] {
                continue;
            }
            let mut member = vec![false; w * h];
            fill(&|r, c| at(r, c) == label, &mut member, (r, c));
            for (i, &m) in member.iter().enumerate() {
                in_component[i] |= m;
            }
            let mut seen = member.clone();
            let mut holes = 0;
            for start in 0..w * h {
                if !seen[start] && !fill(&|r, c| !member[r * w + c], &mut seen, (start / w, start % w)) {
                    holes += 1;
                }
            }
            let e = out.entry(label).or_default();
            e.0 += 1;
            e.1 += holes;
        }
    }
    out
}

#[test]
fn random_rasters_match_an_independent_count_of_components_and_holes() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for case in 0..300 {
        let (n_rows, n_cols) = (1 + (next() % 9) as usize, 1 + (next() % 9) as usize);
        let n_labels = 2 + case % 3;
        let labels: Vec<u32> = (0..n_rows * n_cols)
            .map(|_| match next() % (n_labels as u64 + 1) {
                0 => N,
                l => l as u32,
            })
            .collect();
        let p = polygonize(&labels, n_rows, n_cols).unwrap();
        check_invariants(&p, &labels, n_rows, n_cols);
        let got: BTreeMap<u32, (usize, usize)> = p
            .by_label
            .iter()
            .map(|(&l, ps)| (l, (ps.len(), ps.iter().map(|p| p.holes.len()).sum())))
            .collect();
        assert_eq!(
            got,
            reference_counts(&labels, n_rows, n_cols),
            "{labels:?} {n_rows}x{n_cols}"
        );
    }
}
