//! The PNG chart of a run: submitted, included and finalized transfers per second over
//! time, the weight-model limit and the measurement window.
//!
//! plotters draws into an RGB buffer and [`png`] encodes it: plotters' own PNG encoder pulls
//! in `image`/`flate2`, which change the features of `miniz_oxide` 0.9 under the node's
//! `backtrace` → `sp-io` stack, so `cargo test --workspace` rebuilt ~900 crates of the node.

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

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 600;

/// Draws `report` to `path` (PNG, 1200 × 600).
pub fn draw(report: &Report, path: &Path) -> Result<()> {
	let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
	render(report, &mut rgb)?;
	std::fs::write(path, png::encode_rgb(WIDTH, HEIGHT, &rgb)?)
		.with_context(|| format!("writing {}", path.display()))
}

fn render(report: &Report, rgb: &mut [u8]) -> Result<()> {
	register_font()?;
	let s = &report.series;
	let seconds = s.submitted.len().max(s.included.len()).max(1);
	let peak = s.submitted.iter().chain(&s.included).chain(&s.finalized).copied().max().unwrap_or(0)
		as f64;
	let top = peak.max(report.limit.tps).max(1.0) * 1.1;
	let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
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

/// A minimal PNG writer: 8-bit RGB, no interlace, every scanline with filter type 0, one
/// zlib-compressed `IDAT` chunk (PNG spec §11–12).
mod png {
	use anyhow::{ensure, Result};

	const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
	const COLOR_TYPE_RGB: u8 = 2;

	pub fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>> {
		let row = width as usize * 3;
		ensure!(width > 0 && height > 0, "empty image");
		ensure!(rgb.len() == row * height as usize, "buffer is not {width} × {height} RGB");
		let mut ihdr = Vec::with_capacity(13);
		ihdr.extend_from_slice(&width.to_be_bytes());
		ihdr.extend_from_slice(&height.to_be_bytes());
		// Bit depth 8, RGB, deflate, adaptive filtering, no interlace.
		ihdr.extend_from_slice(&[8, COLOR_TYPE_RGB, 0, 0, 0]);
		let mut scanlines = Vec::with_capacity((row + 1) * height as usize);
		for line in rgb.chunks_exact(row) {
			scanlines.push(0); // filter type None
			scanlines.extend_from_slice(line);
		}
		let idat = miniz_oxide::deflate::compress_to_vec_zlib(&scanlines, 6);
		let mut out = SIGNATURE.to_vec();
		chunk(&mut out, b"IHDR", &ihdr);
		chunk(&mut out, b"IDAT", &idat);
		chunk(&mut out, b"IEND", &[]);
		Ok(out)
	}

	/// Length, type, data, CRC-32 of type and data.
	fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
		out.extend_from_slice(&(data.len() as u32).to_be_bytes());
		out.extend_from_slice(kind);
		out.extend_from_slice(data);
		let mut crc = crc32fast::Hasher::new();
		crc.update(kind);
		crc.update(data);
		out.extend_from_slice(&crc.finalize().to_be_bytes());
	}

	#[cfg(test)]
	mod tests {
		use super::*;

		#[test]
		fn a_2x1_image_round_trips_through_inflate() {
			let png = encode_rgb(2, 1, &[255, 0, 0, 0, 0, 255]).expect("a valid image");
			assert_eq!(png[..8], SIGNATURE);
			// IHDR: length 13, then width 2, height 1, depth 8, RGB.
			assert_eq!(png[8..16], [0, 0, 0, 13, b'I', b'H', b'D', b'R']);
			assert_eq!(png[16..29], [0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
			let ihdr_crc = crc32fast::hash(&png[12..29]);
			assert_eq!(png[29..33], ihdr_crc.to_be_bytes());
			let idat_len = u32::from_be_bytes(png[33..37].try_into().expect("4 bytes")) as usize;
			assert_eq!(&png[37..41], b"IDAT");
			let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&png[41..41 + idat_len])
				.expect("zlib stream");
			assert_eq!(raw, [0, 255, 0, 0, 0, 0, 255]);
			assert_eq!(&png[png.len() - 8..png.len() - 4], b"IEND");
		}

		#[test]
		fn a_buffer_of_the_wrong_size_is_refused() {
			assert!(encode_rgb(2, 2, &[0; 6]).is_err());
			assert!(encode_rgb(0, 1, &[]).is_err());
		}
	}
}
