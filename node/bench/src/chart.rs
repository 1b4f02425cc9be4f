//! The PNG chart of a run: submitted, included and finalized transfers per second over
//! time, the weight-model limit and the measurement window.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use plotters::prelude::*;

use crate::report::Report;

/// Fonts tried in order (Debian's `fonts-dejavu-core`, installed by `scripts/setup.sh`).
const FONT_PATHS: [&str; 2] =
	["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"];

fn register_font() -> Result<()> {
	static REGISTERED: std::sync::OnceLock<std::result::Result<(), String>> =
		std::sync::OnceLock::new();
	REGISTERED
		.get_or_init(|| load_font().map_err(|e| format!("{e:#}")))
		.clone()
		.map_err(|e| anyhow!(e))
}

fn load_font() -> Result<()> {
	let path = FONT_PATHS
		.iter()
		.find(|p| Path::new(p).exists())
		.ok_or_else(|| anyhow!("no DejaVu Sans font (apt-get install fonts-dejavu-core)"))?;
	let bytes = std::fs::read(path).with_context(|| format!("reading {path}"))?;
	// Registered once per process; plotters keeps a `'static` reference.
	plotters::style::register_font(
		"sans-serif",
		FontStyle::Normal,
		Box::leak(bytes.into_boxed_slice()),
	)
	.map_err(|_| anyhow!("{path} is not a usable font"))
}

/// Draws `report` to `path` (PNG, 1200 × 600).
pub fn draw(report: &Report, path: &Path) -> Result<()> {
	register_font()?;
	let s = &report.series;
	let seconds = s.submitted.len().max(s.included.len()).max(1);
	let peak = s.submitted.iter().chain(&s.included).chain(&s.finalized).copied().max().unwrap_or(0)
		as f64;
	let top = peak.max(report.limit.tps).max(1.0) * 1.1;
	let root = BitMapBackend::new(path, (1200, 600)).into_drawing_area();
	root.fill(&WHITE).map_err(|e| anyhow!("{e}"))?;
	let title = format!(
		"kmcc-bench {} — included {:.0}/s, finalized {:.0}/s, limit {:.0}/s",
		report.label, report.rates.included_per_s, report.rates.finalized_per_s, report.limit.tps
	);
	let mut chart = ChartBuilder::on(&root)
		.caption(title, ("sans-serif", 22))
		.margin(15)
		.x_label_area_size(40)
		.y_label_area_size(60)
		.build_cartesian_2d(0f64..seconds as f64, 0f64..top)
		.map_err(|e| anyhow!("{e}"))?;
	chart
		.configure_mesh()
		.x_desc("seconds since start")
		.y_desc("transfers per second")
		.draw()
		.map_err(|e| anyhow!("{e}"))?;
	let w = report.window;
	chart
		.draw_series(std::iter::once(Rectangle::new(
			[(w.from, 0.0), (w.to, top)],
			RGBColor(235, 235, 250).filled(),
		)))
		.map_err(|e| anyhow!("{e}"))?
		.label("measurement window")
		.legend(|(x, y)| {
			Rectangle::new([(x, y - 5), (x + 20, y + 5)], RGBColor(235, 235, 250).filled())
		});
	let lines: [(&str, &[u64], RGBColor); 3] = [
		("submitted/s", &s.submitted, RGBColor(150, 150, 150)),
		("included/s", &s.included, BLUE),
		("finalized/s", &s.finalized, RGBColor(0, 150, 0)),
	];
	for (name, values, color) in lines {
		chart
			.draw_series(LineSeries::new(
				values.iter().enumerate().map(|(i, v)| (i as f64 + 0.5, *v as f64)),
				color.stroke_width(2),
			))
			.map_err(|e| anyhow!("{e}"))?
			.label(name)
			.legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
	}
	chart
		.draw_series(LineSeries::new(
			[(0.0, report.limit.tps), (seconds as f64, report.limit.tps)],
			RED.stroke_width(1),
		))
		.map_err(|e| anyhow!("{e}"))?
		.label("weight-model limit")
		.legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED));
	chart
		.configure_series_labels()
		.background_style(WHITE.mix(0.8))
		.border_style(BLACK)
		.position(SeriesLabelPosition::UpperRight)
		.draw()
		.map_err(|e| anyhow!("{e}"))?;
	root.present().map_err(|e| anyhow!("{e}"))?;
	Ok(())
}
