//! One SVG bar chart per table of the report (plotters, SVG backend).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plotters::prelude::*;

use crate::report::Report;
use crate::systems::System;

const PALETTE: [RGBColor; 8] = [
    RGBColor(46, 125, 50),  // sapwood: green
    RGBColor(198, 40, 40),  // reactive_graph
    RGBColor(21, 101, 192), // sycamore_reactive
    RGBColor(239, 108, 0),  // floem_reactive
    RGBColor(106, 27, 154), // alien_signals_rs
    RGBColor(96, 125, 139), // futures_signals
    RGBColor(0, 131, 143),  // serde_plain
    RGBColor(0, 0, 0),      // floor
];

fn colour(s: System) -> RGBColor {
    PALETTE[s as usize]
}

/// Draws `memory.svg`, `speed.svg`, `tree-memory.svg` and `tree-speed.svg`
/// into `dir` (created if needed).
pub fn draw(report: &Report, dir: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let (rows, series) = report.memory_series();
    if !rows.is_empty() {
        let path = dir.join("memory.svg");
        grouped_bars(
            &path,
            "Memory per object (bytes, log scale)",
            &rows,
            &series,
        )?;
        written.push(path);
    }
    let (cases, series) = report.speed_series();
    if !cases.is_empty() {
        let path = dir.join("speed.svg");
        grouped_bars(
            &path,
            "Time as a multiple of the floor (log scale; lower is better)",
            &cases,
            &series,
        )?;
        written.push(path);
    }
    let (rows, series) = report.tree_memory_series();
    if !rows.is_empty() {
        let path = dir.join("tree-memory.svg");
        grouped_bars(
            &path,
            "Bytes per read-only instance (log scale)",
            &rows,
            &series,
        )?;
        written.push(path);
    }
    let (cases, series) = report.tree_speed_series();
    if !cases.is_empty() {
        let path = dir.join("tree-speed.svg");
        grouped_bars(
            &path,
            "Nanoseconds per iteration (log scale; lower is better)",
            &cases,
            &series,
        )?;
        written.push(path);
    }
    Ok(written)
}

/// Grouped bars on a log scale: one group per label, one bar per system.
fn grouped_bars(
    path: &Path,
    title: &str,
    labels: &[String],
    series: &BTreeMap<System, Vec<Option<f64>>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let values = series
        .values()
        .flatten()
        .flatten()
        .copied()
        .filter(|v| *v > 0.0);
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if lo > hi {
        (0.1, 10.0)
    } else {
        (lo / 2.0, hi * 2.0)
    };
    let width = (160 + 70 * labels.len()).max(640) as u32;
    let root = SVGBackend::new(path, (width, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let groups = labels.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(110)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..groups, (lo..hi).log_scale())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len() * 2 + 1)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            if (x - x.floor() - 0.5).abs() < 1e-6 && i < labels.len() {
                labels[i].clone()
            } else {
                String::new()
            }
        })
        .x_label_style(
            ("sans-serif", 12)
                .into_font()
                .transform(FontTransform::Rotate90),
        )
        .y_desc(title.split(" (").next().unwrap_or(title))
        .draw()?;
    let k = series.len().max(1) as f64;
    let bar = 0.8 / k;
    for (j, (system, vals)) in series.iter().enumerate() {
        let c = colour(*system);
        chart
            .draw_series(vals.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?;
                let x0 = i as f64 + 0.1 + j as f64 * bar;
                Some(Rectangle::new(
                    [(x0, lo), (x0 + bar * 0.9, v.max(lo))],
                    c.filled(),
                ))
            }))?
            .label(system.name())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], c.filled()));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .draw()?;
    root.present()?;
    Ok(())
}
