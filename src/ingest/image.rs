//! Images a data file names (seals, signature stamps, signature images): read within the stated
//! limits and checked to be what they claim before anything is laid out. A 40000×40000 PNG of a
//! few megabytes would otherwise be decoded into gigabytes by the PDF writer.

use std::io::Read;
use std::path::Path;

use crate::limits::Limits;

/// What an image file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// WebP.
    WebP,
    /// SVG (vector: no pixel limit, only the file size).
    Svg,
}

/// A checked image.
#[derive(Debug, Clone)]
pub struct Image {
    /// Its format, from its content (not its name).
    pub kind: Kind,
    /// Width and height in pixels (raster images only).
    pub size: Option<(u32, u32)>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Why an image was refused, in Chinese, naming the limit.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ImageError {
    /// The file can't be read.
    #[error("无法读取图片：{0}")]
    Read(String),
    /// Larger than the byte limit.
    #[error("图片文件超过 {limit} 字节的上限（[limits] image_max_bytes）")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// Not an image format the engine prints.
    #[error("文件内容不是 PNG、JPEG、GIF、WebP 或 SVG 图片（{0}）")]
    NotAnImage(String),
    /// Too many pixels.
    #[error(
        "图片为 {width}×{height} 像素，超过上限（每边 {max_side} 像素、共 {max_pixels} 像素；[limits] image_max_side / image_max_pixels）"
    )]
    TooManyPixels {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Side limit.
        max_side: u32,
        /// Pixel limit.
        max_pixels: u64,
    },
}

/// Reads and checks the image at `path` against `limits`.
pub fn read(path: &Path, limits: &Limits) -> Result<Image, ImageError> {
    let file = std::fs::File::open(path).map_err(|e| ImageError::Read(e.to_string()))?;
    let mut bytes = Vec::new();
    // Read one byte past the limit to know it was exceeded without reading a huge file whole.
    file.take(limits.image_max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ImageError::Read(e.to_string()))?;
    if bytes.len() as u64 > limits.image_max_bytes {
        return Err(ImageError::TooLarge {
            limit: limits.image_max_bytes,
        });
    }
    check(bytes, limits)
}

/// Checks image bytes against `limits`: the format from the content, the dimensions from the
/// header (nothing is decoded).
pub fn check(bytes: Vec<u8>, limits: &Limits) -> Result<Image, ImageError> {
    if bytes.len() as u64 > limits.image_max_bytes {
        return Err(ImageError::TooLarge {
            limit: limits.image_max_bytes,
        });
    }
    if is_svg(&bytes) {
        return Ok(Image {
            kind: Kind::Svg,
            size: None,
            bytes,
        });
    }
    let reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::NotAnImage(e.to_string()))?;
    let kind = match reader.format() {
        Some(image::ImageFormat::Png) => Kind::Png,
        Some(image::ImageFormat::Jpeg) => Kind::Jpeg,
        Some(image::ImageFormat::Gif) => Kind::Gif,
        Some(image::ImageFormat::WebP) => Kind::WebP,
        Some(other) => return Err(ImageError::NotAnImage(format!("{other:?}"))),
        None => return Err(ImageError::NotAnImage("无法识别的格式".into())),
    };
    // PNG keeps its size at a fixed place in the header; read it there, so that even a
    // truncated file claiming a huge size is refused for its size.
    let (width, height) = match (kind, bytes.get(12..24)) {
        (Kind::Png, Some(ihdr)) if &ihdr[..4] == b"IHDR" => (
            u32::from_be_bytes([ihdr[4], ihdr[5], ihdr[6], ihdr[7]]),
            u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]),
        ),
        _ => reader
            .into_dimensions()
            .map_err(|e| ImageError::NotAnImage(e.to_string()))?,
    };
    let pixels = u64::from(width) * u64::from(height);
    if width == 0
        || height == 0
        || width > limits.image_max_side
        || height > limits.image_max_side
        || pixels > limits.image_max_pixels
    {
        return Err(ImageError::TooManyPixels {
            width,
            height,
            max_side: limits.image_max_side,
            max_pixels: limits.image_max_pixels,
        });
    }
    Ok(Image {
        kind,
        size: Some((width, height)),
        bytes,
    })
}

/// An SVG document: optional BOM, XML declaration, comments or doctype, then `<svg`.
fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let Ok(text) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return false;
    };
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with('<')) && text.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG header (signature + IHDR) claiming `w`×`h`; no pixel data is needed to refuse it.
    pub fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend_from_slice(&13u32.to_be_bytes());
        let mut chunk = b"IHDR".to_vec();
        chunk.extend_from_slice(&ihdr);
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&crc32(&chunk).to_be_bytes());
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_huge_png_is_refused_from_its_header() {
        let err = check(png_header(40_000, 40_000), &Limits::default()).unwrap_err();
        assert!(
            matches!(err, ImageError::TooManyPixels { width: 40_000, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("40000×40000"));
        assert!(check(png_header(1000, 1000), &Limits::default()).is_ok());
    }

    #[test]
    fn text_named_png_is_not_an_image_and_svg_is_recognised() {
        assert!(matches!(
            check(b"hello, not a picture".to_vec(), &Limits::default()),
            Err(ImageError::NotAnImage(_))
        ));
        let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>"#.to_vec();
        assert_eq!(check(svg, &Limits::default()).unwrap().kind, Kind::Svg);
    }

    #[test]
    fn the_byte_limit_is_checked_before_reading_everything() {
        let limits = Limits {
            image_max_bytes: 10,
            ..Limits::default()
        };
        assert!(matches!(
            check(png_header(10, 10), &limits),
            Err(ImageError::TooLarge { limit: 10 })
        ));
    }
}
