//! Maps of the chosen variables and of the clusters (study Figs. 1-3, 6-9, 14).

use super::Drawn;
use crate::error::Result;
use crate::pipeline::run::analysis::{Clustering, Prepared};
use crate::plot::{self, ClusterLegend, Colormap, GridGeometry, MapOptions, Region};

/// Legend lines of a clustering: size and mean NDVI (when NDVI is a chosen variable).
pub fn legend(prepared: &Prepared, clustering: &Clustering) -> Vec<ClusterLegend> {
    let centres = crate::metrics::cluster_centres(&prepared.table, &clustering.labels, clustering.k);
    let ndvi = prepared.table.names.iter().position(|n| n == "NDVI");
    centres
        .iter()
        .map(|c| ClusterLegend {
            id: c.cluster,
            size: c.size,
            mean_ndvi: ndvi.map(|i| c.means[i]),
            name: None,
        })
        .collect()
}

/// The map geometry of the run's grid.
pub(super) fn geometry(prepared: &Prepared) -> Result<GridGeometry> {
    GridGeometry::from_grid(&prepared.table.grid)
        .map_err(|m| crate::plot::PlotError::Invalid(format!("cannot map the grid: {m}")).into())
}

/// Maps of every chosen variable over the background (study Figs. 1-3).
pub fn variable_maps(d: &mut Drawn, prepared: &Prepared) -> Result<()> {
    let opts = MapOptions::default();
    let geometry = geometry(prepared)?;
    for i in mapped(&prepared.table.names) {
        let name = &prepared.table.names[i];
        let units = prepared.table.units[i].clone().unwrap_or_default();
        let values = prepared.table.values.column(i).to_vec();
        let colormap = if name == "NDVI" {
            Colormap::parse("ylgn").unwrap_or(Colormap::parse("viridis")?)
        } else {
            Colormap::parse("viridis")?
        };
        let file = format!("map_{}.png", sanitize(name));
        d.add(&file, &format!("{name} on the selected cells"), |p| {
            plot::variable_map(
                p,
                &geometry,
                &prepared.table.cells,
                &values,
                name,
                &units,
                colormap,
                &opts,
            )
        })?;
    }
    Ok(())
}

/// Which of `names` get a map: all, except that of a series of three entries or more
/// (`NAME[*]`, e.g. 12 months) only the first and the middle entry are drawn (January and July),
/// so that a monthly run draws two maps per variable rather than twelve.
pub(super) fn mapped(names: &[String]) -> Vec<usize> {
    use crate::dataset::varspec::{Extra, VarSpec};
    let entry = |n: &String| match n.parse::<VarSpec>() {
        Ok(VarSpec {
            name,
            extra: Extra::Index(i),
        }) => Some((name, i)),
        _ => None,
    };
    (0..names.len())
        .filter(|&c| {
            let Some((name, i)) = entry(&names[c]) else {
                return true;
            };
            let mut series: Vec<usize> = names
                .iter()
                .filter_map(entry)
                .filter(|(n, _)| *n == name)
                .map(|(_, j)| j)
                .collect();
            series.sort_unstable();
            series.len() < 3 || i == series[0] || i == series[series.len() / 2]
        })
        .collect()
}

/// A file-name-safe version of a variable name (`NDVI[6]` -> `NDVI_6`).
fn sanitize(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    safe.trim_end_matches('_').to_string()
}

/// World and regional cluster maps (study Figs. 6-9, 14).
pub fn cluster_maps(d: &mut Drawn, prepared: &Prepared, clustering: &Clustering, tag: &str, what: &str) -> Result<()> {
    cluster_maps_in(
        d,
        prepared,
        clustering,
        tag,
        what,
        &["world", "africa", "south-america", "europe"],
    )
}

/// Cluster maps of the named regions.
pub fn cluster_maps_in(
    d: &mut Drawn,
    prepared: &Prepared,
    clustering: &Clustering,
    tag: &str,
    what: &str,
    regions: &[&str],
) -> Result<()> {
    let geometry = geometry(prepared)?;
    let legend = legend(prepared, clustering);
    for &region in regions {
        let opts = MapOptions {
            region: Region::parse(region)?,
            ..MapOptions::default()
        };
        let file = if region == "world" {
            format!("clusters{tag}.png")
        } else {
            format!("clusters{tag}_{region}.png")
        };
        let title = format!(
            "{what}, k = {}{}",
            clustering.k,
            if region == "world" {
                String::new()
            } else {
                format!(" ({region})")
            }
        );
        d.add(&file, &title, |p| {
            plot::cluster_map(
                p,
                &geometry,
                &prepared.table.cells,
                &clustering.labels,
                &legend,
                &title,
                &opts,
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "maps_tests.rs"]
mod tests;
