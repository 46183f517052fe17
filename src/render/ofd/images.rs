//! Images as OFD `MultiMedia` files: PNG and JPEG as the data file gave them (the seal's own
//! pixels and colours), anything else as PNG. OFD has no vector image type, so an SVG seal is
//! drawn into pixels at print resolution by resvg (the renderer Typst's own SVG support uses).

use std::io::Cursor;

use typst::visualize::{ExchangeFormat, Image, ImageKind, RasterFormat};

use crate::error::{Error, Result};

/// Resolution at which SVG images become pixels: a 42 mm seal is about 1000 pixels across.
pub const SVG_DPI: f64 = 600.0;
/// Longest side of an SVG drawn into pixels, so a page-sized SVG stays a few tens of MB in memory.
pub const SVG_MAX_PIXELS: f64 = 4096.0;

/// An image file for the package.
pub struct Encoded {
    /// The bytes.
    pub data: Vec<u8>,
    /// `MultiMedia/@Format`.
    pub format: &'static str,
    /// File extension.
    pub ext: &'static str,
}

fn png(img: &image::DynamicImage) -> Result<Encoded> {
    let mut data = Vec::new();
    img.write_to(&mut Cursor::new(&mut data), image::ImageFormat::Png)
        .map_err(|e| Error::Ofd(format!("图片无法编码为 PNG：{e}")))?;
    Ok(Encoded {
        data,
        format: "PNG",
        ext: "png",
    })
}

/// Encodes `image`, shown `size_mm` large (which sets the resolution of an SVG's pixels).
pub fn encode(image: &Image, size_mm: (f64, f64)) -> Result<Encoded> {
    match image.kind() {
        ImageKind::Raster(raster) => match raster.format() {
            // EXIF-rotated files are written as PNG from the decoded (already turned) pixels,
            // so a reader that ignores EXIF shows them the way the PDF does.
            RasterFormat::Exchange(ExchangeFormat::Png) if raster.exif_rotation().is_none() => {
                Ok(Encoded {
                    data: raster.data().to_vec(),
                    format: "PNG",
                    ext: "png",
                })
            }
            RasterFormat::Exchange(ExchangeFormat::Jpg)
                if raster.exif_rotation().is_none_or(|r| r == 1) =>
            {
                Ok(Encoded {
                    data: raster.data().to_vec(),
                    format: "JPEG",
                    ext: "jpg",
                })
            }
            _ => png(raster.dynamic()),
        },
        ImageKind::Svg(svg) => {
            let tree = svg.tree();
            let size = tree.size();
            let scale = (SVG_DPI / 25.4).min(SVG_MAX_PIXELS / size_mm.0.max(size_mm.1).max(1e-3));
            let w = (size_mm.0 * scale).round().clamp(1.0, SVG_MAX_PIXELS) as u32;
            let h = (size_mm.1 * scale).round().clamp(1.0, SVG_MAX_PIXELS) as u32;
            let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)
                .ok_or_else(|| Error::Ofd("SVG 图片尺寸无效".into()))?;
            let ts = resvg::tiny_skia::Transform::from_scale(
                w as f32 / size.width(),
                h as f32 / size.height(),
            );
            resvg::render(tree, ts, &mut pixmap.as_mut());
            let rgba = image::RgbaImage::from_raw(w, h, pixmap.take_demultiplied())
                .ok_or_else(|| Error::Ofd("SVG 图片无法转为像素".into()))?;
            png(&image::DynamicImage::ImageRgba8(rgba))
        }
        ImageKind::Pdf(_) => Err(Error::Ofd(
            "页面上有 PDF 格式的图片，OFD 无法容纳；请改用 PNG、JPEG 或 SVG".into(),
        )),
    }
}
