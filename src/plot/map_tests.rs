use super::*;

fn entry(id: usize, size: usize) -> ClusterLegend {
    ClusterLegend {
        id,
        size,
        mean_ndvi: None,
        name: None,
    }
}

#[test]
fn a_long_legend_keeps_the_largest_clusters_and_counts_the_rest() {
    let legend: Vec<ClusterLegend> = (0..200).map(|i| entry(i, 1000 - (i * 7) % 500)).collect();
    let (kept, left_out) = legend_lines(&legend, 600);
    assert_eq!(kept.len(), 600 / MIN_LEGEND_PITCH as usize - 1);
    assert_eq!(kept.len() + left_out, 200);
    let smallest_kept = kept.iter().map(|e| e.size).min().unwrap();
    let ids: std::collections::HashSet<usize> = kept.iter().map(|e| e.id).collect();
    for e in legend.iter().filter(|e| !ids.contains(&e.id)) {
        assert!(e.size <= smallest_kept, "cluster {} left out though larger", e.id);
    }
    // Sorted by decreasing size.
    assert!(kept.windows(2).all(|w| w[0].size >= w[1].size));
}

#[test]
fn a_short_legend_is_kept_whole_in_id_order() {
    let legend: Vec<ClusterLegend> = (0..6).map(|i| entry(i, 10 + i)).collect();
    let (kept, left_out) = legend_lines(&legend, 600);
    assert_eq!(left_out, 0);
    assert_eq!(kept.iter().map(|e| e.id).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4, 5]);
}

#[test]
fn colored_map_refuses_a_cluster_without_colour() {
    let geometry = GridGeometry {
        n_rows: 2,
        n_cols: 2,
        lat0_north: 0.5,
        lon0_west: -0.5,
        step_lat: 1.0,
        step_lon: 1.0,
    };
    let cells = vec![
        Cell {
            row: 0,
            col: 0,
            lat: 0.0,
            lon: 0.0,
        },
        Cell {
            row: 1,
            col: 1,
            lat: -1.0,
            lon: 1.0,
        },
    ];
    let dir = std::env::temp_dir().join(format!("landclust-map-colors-{}", std::process::id()));
    let path = dir.join("m.png");
    let colors = [RGBColor(1, 2, 3)];
    let err = cluster_map_colored(
        &path,
        &geometry,
        &cells,
        &[0, 1],
        &[],
        &colors,
        "t",
        &MapOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("cluster 1 has no colour"), "{err}");
}
