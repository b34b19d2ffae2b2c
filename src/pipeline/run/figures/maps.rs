//! Maps of the chosen variables and of the clusters (study Figs. 1-3, 6-9, 14).

use super::Drawn;
use crate::error::Result;
use crate::pipeline::run::analysis::{Clustering, Prepared};
use crate::plot::{self, ClusterLegend, Colormap, GridGeometry, MapOptions, RGBColor, Region};

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
            name: clustering.names.get(c.cluster).cloned(),
        })
        .collect()
}

/// What the maps draw: the run's grid and cells, or for a projected grid its display grid in
/// lon/lat ([`crate::plot::reproject`]) over the cells' lon/lat bounding box.
pub struct MapCells<'a> {
    pub geometry: GridGeometry,
    table_cells: &'a [crate::dataset::Cell],
    display: Option<crate::plot::reproject::DisplayGrid>,
}

impl MapCells<'_> {
    /// The cells to draw.
    pub fn cells(&self) -> &[crate::dataset::Cell] {
        self.display.as_ref().map_or(self.table_cells, |d| &d.cells)
    }

    /// Per-cell `values` on [`MapCells::cells`].
    pub fn pick<'v, T: Copy>(&self, values: &'v [T]) -> std::borrow::Cow<'v, [T]> {
        match &self.display {
            None => std::borrow::Cow::Borrowed(values),
            Some(d) => std::borrow::Cow::Owned(d.pick(values)),
        }
    }

    /// The region of a projected grid's maps (its cells' lon/lat box); `None`: the usual ones.
    pub fn region(&self) -> Option<Region> {
        self.display.as_ref().map(|d| d.region.clone())
    }

    /// Map options over [`MapCells::region`] when there is one.
    pub fn options(&self) -> MapOptions {
        MapOptions {
            region: self.region().unwrap_or_else(Region::world),
            ..MapOptions::default()
        }
    }
}

/// The [`MapCells`] of the run.
pub fn map_cells(prepared: &Prepared) -> Result<MapCells<'_>> {
    let grid = &prepared.table.grid;
    let invalid = |m: String| crate::plot::PlotError::Invalid(format!("cannot map the grid: {m}"));
    if grid.is_projected() {
        let d = crate::plot::reproject::display_grid(grid, &prepared.table.cells).map_err(invalid)?;
        return Ok(MapCells {
            geometry: d.geometry,
            table_cells: &prepared.table.cells,
            display: Some(d),
        });
    }
    Ok(MapCells {
        geometry: GridGeometry::from_grid(grid).map_err(invalid)?,
        table_cells: &prepared.table.cells,
        display: None,
    })
}

/// Maps of every chosen variable over the background (study Figs. 1-3).
pub fn variable_maps(d: &mut Drawn, prepared: &Prepared) -> Result<()> {
    let m = map_cells(prepared)?;
    let opts = m.options();
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
                &m.geometry,
                m.cells(),
                &m.pick(&values),
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

/// World and regional cluster maps (study Figs. 6-9, 14), cluster `i` in `colors[i]` (see
/// [`crate::pipeline::run::palette`]).
pub fn cluster_maps(
    d: &mut Drawn,
    prepared: &Prepared,
    clustering: &Clustering,
    colors: &[RGBColor],
    tag: &str,
    what: &str,
) -> Result<()> {
    cluster_maps_colored(
        d,
        prepared,
        clustering,
        colors,
        tag,
        what,
        &["world", "africa", "south-america", "europe"],
    )
}

/// Cluster maps of the named regions, clusters in the palette by id.
pub fn cluster_maps_in(
    d: &mut Drawn,
    prepared: &Prepared,
    clustering: &Clustering,
    tag: &str,
    what: &str,
    regions: &[&str],
) -> Result<()> {
    let colors = plot::palette_by_id(clustering.k);
    cluster_maps_colored(d, prepared, clustering, &colors, tag, what, regions)
}

/// Cluster maps of the named regions, cluster `i` in `colors[i]`.
pub fn cluster_maps_colored(
    d: &mut Drawn,
    prepared: &Prepared,
    clustering: &Clustering,
    colors: &[RGBColor],
    tag: &str,
    what: &str,
    regions: &[&str],
) -> Result<()> {
    let m = map_cells(prepared)?;
    let legend = legend(prepared, clustering);
    let labels = m.pick(&clustering.labels);
    // A projected grid's one map covers its cells' lon/lat box (not the world or continents).
    let regions: &[&str] = if m.region().is_some() { &["world"] } else { regions };
    for &region in regions {
        let opts = match m.region() {
            Some(r) => MapOptions {
                region: r,
                ..MapOptions::default()
            },
            None => MapOptions {
                region: Region::parse(region)?,
                ..MapOptions::default()
            },
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
            plot::cluster_map_colored(p, &m.geometry, m.cells(), &labels, &legend, colors, &title, &opts)
        })?;
    }
    Ok(())
}

#[cfg(test)]
#[path = "maps_tests.rs"]
mod tests;
