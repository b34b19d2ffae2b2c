use super::*;

/// Edges between regions of a `rows x cols` label grid under 4-neighbour adjacency.
fn grid_edges(labels: &[usize], cols: usize) -> Vec<(usize, usize)> {
    let rows = labels.len() / cols;
    let mut edges = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let a = labels[r * cols + c];
            if c + 1 < cols {
                edges.push((a, labels[r * cols + c + 1]));
            }
            if r + 1 < rows {
                edges.push((a, labels[(r + 1) * cols + c]));
            }
        }
    }
    edges
}

/// A pseudo-random Voronoi partition of a grid into `k` regions (xorshift seeds).
fn voronoi(rows: usize, cols: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut s = seed;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s
    };
    let seeds: Vec<(f64, f64)> = (0..k)
        .map(|_| ((next() % rows as u64) as f64, (next() % cols as u64) as f64))
        .collect();
    let mut labels = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            let d = |&(sr, sc): &(f64, f64)| (sr - r as f64).powi(2) + (sc - c as f64).powi(2);
            let best = (0..k)
                .min_by(|&a, &b| d(&seeds[a]).total_cmp(&d(&seeds[b])).then(a.cmp(&b)))
                .unwrap();
            labels.push(best);
        }
    }
    labels
}

#[test]
fn touching_regions_differ_for_hundreds_of_regions() {
    for (k, seed) in [(30, 7u64), (250, 11), (255, 3)] {
        let labels = voronoi(120, 200, k, seed);
        let edges = grid_edges(&labels, 200);
        let colors = region_palette(k, &edges);
        assert_eq!(colors.len(), k);
        let mut touching = 0;
        for &(a, b) in &edges {
            if a != b {
                touching += 1;
                assert_ne!(
                    colors[a], colors[b],
                    "regions {a} and {b} touch and share a colour (k = {k})"
                );
            }
        }
        assert!(touching > k, "the partition has touching regions");
        // Hundreds of regions spread over the whole palette, not its first few colours.
        if k >= 250 {
            let distinct: std::collections::HashSet<_> = colors.iter().map(|c| (c.0, c.1, c.2)).collect();
            assert_eq!(distinct.len(), CLUSTER_PALETTE.len());
        }
    }
}

#[test]
fn deterministic_and_independent_of_edge_order() {
    let labels = voronoi(60, 80, 90, 5);
    let mut edges = grid_edges(&labels, 80);
    let first = region_palette(90, &edges);
    assert_eq!(region_palette(90, &edges), first);
    edges.reverse();
    let flipped: Vec<(usize, usize)> = edges.iter().map(|&(a, b)| (b, a)).collect();
    assert_eq!(region_palette(90, &flipped), first);
}

#[test]
fn a_hub_its_chain_and_a_complete_graph() {
    // A hub touching 25 regions that form a chain: the hub is coloured first (most neighbours);
    // the chain then alternates away from the hub's colour.
    let mut edges: Vec<(usize, usize)> = (1..26).map(|i| (0, i)).collect();
    edges.extend((1..25).map(|i| (i, i + 1)));
    let colors = region_palette(26, &edges);
    for &(a, b) in &edges {
        assert_ne!(colors[a], colors[b]);
    }
    // 21 regions all touching: the first 20 take the 20 colours, the last one of them.
    let mut complete = Vec::new();
    for a in 0..21 {
        for b in a + 1..21 {
            complete.push((a, b));
        }
    }
    let colors = region_palette(21, &complete);
    let distinct: std::collections::HashSet<_> = colors[..20].iter().map(|c| (c.0, c.1, c.2)).collect();
    assert_eq!(distinct.len(), 20);
    // Out-of-range and self pairs are ignored; isolated regions get a colour too.
    let lone = region_palette(3, &[(0, 0), (1, 7)]);
    assert_eq!(lone.len(), 3);
    assert_eq!(cluster_rgb(23), cluster_rgb(3));
    assert_eq!(to_rgb(&palette_by_id(2)), vec![cluster_rgb(0), cluster_rgb(1)]);
}
