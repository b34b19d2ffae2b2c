use super::*;

fn frame_of(grid: Grid, a: Vec<Option<u32>>, b: Vec<Option<u32>>) -> Frame {
    Frame {
        grid,
        a,
        b,
        a_outside: (0, 0.0),
        b_outside: (0, 0.0),
        regrid: None,
    }
}

#[test]
fn matching_undoes_a_permutation() {
    // overlap[a][perm[a]] is the only weight of each row.
    let perm = [2usize, 0, 3, 1];
    let overlap: Vec<Vec<f64>> = (0..4)
        .map(|a| {
            (0..4)
                .map(|b| if b == perm[a] { 10.0 + a as f64 } else { 0.0 })
                .collect()
        })
        .collect();
    let m = match_clusters(&overlap, 4);
    assert_eq!(m, perm.iter().map(|&b| Some(b as u32)).collect::<Vec<_>>());
}

#[test]
fn matching_maximises_the_total_not_each_row() {
    // Greedy would pair A0-B0 (9) and leave A1-B1 (1): 10. The best total pairs A0-B1 (8) and
    // A1-B0 (7): 15.
    let overlap = vec![vec![9.0, 8.0], vec![7.0, 1.0]];
    assert_eq!(match_clusters(&overlap, 2), vec![Some(1), Some(0)]);
}

#[test]
fn rectangular_matching_leaves_clusters_over() {
    // Three clusters of A, two of B: A1 is left over.
    let overlap = vec![vec![5.0, 0.0], vec![1.0, 1.0], vec![0.0, 6.0]];
    assert_eq!(match_clusters(&overlap, 2), vec![Some(0), None, Some(1)]);
    // Two of A, three of B; B2 has no overlap with anything.
    let overlap = vec![vec![0.0, 4.0, 0.0], vec![3.0, 0.0, 0.0]];
    assert_eq!(match_clusters(&overlap, 3), vec![Some(1), Some(0)]);
    // A pair without overlap is no match.
    let overlap = vec![vec![2.0, 0.0], vec![0.0, 0.0]];
    assert_eq!(match_clusters(&overlap, 2), vec![Some(0), None]);
}

#[test]
fn a_permuted_copy_agrees_everywhere() {
    let grid = Grid::regular(3, 4, 1.0, 0.5, 1.0);
    let a: Vec<Option<u32>> = [0, 1, 2, 0, 1, 1, 2, 0, 2, 2, 1, 0].iter().map(|&l| Some(l)).collect();
    let mut a = a;
    a[5] = None;
    let perm = [2u32, 0, 1];
    let b: Vec<Option<u32>> = a.iter().map(|l| l.map(|l| perm[l as usize])).collect();
    let c = compare(&frame_of(grid, a, b), 3, 3).unwrap();
    let pairs: Vec<(u32, u32)> = c.matching.iter().map(|m| (m.a, m.b)).collect();
    assert_eq!(pairs, vec![(0, 2), (1, 0), (2, 1)]);
    assert_eq!(c.scores.ari, 1.0);
    assert!((c.scores.nmi - 1.0).abs() < 1e-12);
    assert!((c.scores.v_measure - 1.0).abs() < 1e-12);
    assert_eq!(c.totals.changed_cells, 0);
    assert_eq!(c.totals.shared_cells, 11);
    assert_eq!(c.totals.agreement_share, 1.0);
    assert!(c.transitions.iter().all(|t| t.same_type && t.change_code == 0));
    assert_eq!(c.change.iter().filter(|x| x.is_none()).count(), 1);
    assert!(c.change.iter().flatten().all(|&x| x == 0));
}

#[test]
fn transitions_count_cells_and_area_and_rank_changes_by_area() {
    // Two rows at very different latitudes: a cell near the pole is far smaller.
    let mut grid = Grid::regular(2, 3, 0.5, 0.5, 1.0);
    grid.lat = vec![80.5, 0.5];
    let a = vec![Some(0), Some(0), Some(1), Some(0), Some(1), None];
    let b = vec![Some(0), Some(1), Some(1), Some(1), Some(1), Some(0)];
    let c = compare(&frame_of(grid.clone(), a, b), 2, 2).unwrap();
    let cells: Vec<Cell> = (0..6)
        .map(|i| Cell {
            row: i / 3,
            col: i % 3,
            lat: grid.lat[i / 3],
            lon: grid.lon[i % 3],
        })
        .collect();
    let area = crate::dataset::area::cell_areas_km2(&grid, &cells);
    // A0 -> B0 at cell 0; A0 -> B1 at cells 1 and 3; A1 -> B1 at cells 2 and 4.
    let find = |a: u32, b: u32| c.transitions.iter().find(|t| t.a == a && t.b == b).unwrap();
    assert_eq!(find(0, 0).cells, 1);
    assert_eq!(find(0, 1).cells, 2);
    assert_eq!(find(0, 1).km2, area[1] + area[3]);
    assert_eq!(find(1, 1).km2, area[2] + area[4]);
    assert!(c.transitions.iter().all(|t| !(t.a == 1 && t.b == 0)));
    // Matching: A1-B1 (cells 2, 4: large) and A0-B0 (cell 0) beat A0-B1 (1, 3) alone.
    assert_eq!(
        c.matching.iter().map(|m| (m.a, m.b)).collect::<Vec<_>>(),
        vec![(0, 0), (1, 1)]
    );
    assert!(!find(0, 1).same_type);
    assert_eq!(find(0, 1).change_code, 1);
    assert_eq!(c.totals.changed_cells, 2);
    assert_eq!(c.totals.only_b_cells, 1);
    assert_eq!(c.totals.only_b_km2, area[5]);
    let shared: f64 = area[..5].iter().sum();
    assert!((c.totals.shared_km2 - shared).abs() <= 1e-9 * shared);
    assert!(
        (c.totals.agreement_share - (area[0] + area[2] + area[4]) / shared).abs() < 1e-12,
        "{}",
        c.totals.agreement_share
    );
    assert_eq!(c.change, vec![Some(0), Some(1), Some(0), Some(1), Some(0), None]);
}

#[test]
fn no_shared_cell_is_an_error() {
    let grid = Grid::regular(1, 2, 0.5, 0.5, 1.0);
    let e = compare(&frame_of(grid, vec![Some(0), None], vec![None, Some(0)]), 1, 1).unwrap_err();
    assert!(e.to_string().contains("share no labelled cell"), "{e}");
}

#[test]
fn regrid_methods_parse() {
    assert_eq!("majority".parse::<Regrid>().unwrap(), Regrid::Majority);
    let e = "mean".parse::<Regrid>().unwrap_err().to_string();
    assert!(e.contains("--regrid") && e.contains("majority"), "{e}");
}
