use super::*;
use crate::cluster::ward_contiguous::{Adjacency, Neighbourhood};

#[test]
fn the_check_counts_pieces_pairs_and_connected_parts() {
    // Two pieces: a row of 4 cells and a lone cell two columns away.
    let positions = [(0, 0), (0, 1), (0, 2), (0, 3), (0, 5)];
    let adjacency = Adjacency::grid(&positions, 6, Neighbourhood::Four, false).expect("grid");
    // Region 0 spans both pieces (2 pairs, 2 parts); region 1 is one part.
    let ok = check(&adjacency, &[0, 0, 1, 1, 0], 2, 0.5, 1.0);
    assert_eq!((ok.pieces, ok.region_piece_pairs, ok.connected_parts), (2, 3, 3));
    assert_eq!((ok.largest_region_cells, ok.smallest_region_cells), (3, 2));
    assert!(text(&ok).contains("every region connected"));
    // Regions 0 and 1 each split within the first piece: two parts more than pairs.
    let bad = check(&adjacency, &[0, 1, 0, 1, 1], 2, 0.5, 1.0);
    assert_eq!((bad.region_piece_pairs, bad.connected_parts), (3, 5));
    assert!(text(&bad).contains("a defect"));
}
