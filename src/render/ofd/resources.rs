//! The document's shared resources while pages are written: one ID sequence for every object
//! (GB/T 33190 §7.3 `ST_ID`: unique in the document, `MaxUnitID` the largest), colour spaces,
//! fonts and images, each created on first use in page order, so reruns number them the same.

use std::collections::HashMap;

use typst::visualize::{Color, Image, Paint, ProcessColor, ProcessColorSpace};

use super::fonts::Fonts;
use super::images::{self, Encoded};
use super::xml::Xml;
use crate::error::{Error, Result};

/// A colour space of `PublicRes` (§8.3.1): the three the PDF export also uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Space {
    /// `GRAY`, for Typst's luma colours (black text).
    Gray,
    /// `RGB`, sRGB.
    Rgb,
    /// `CMYK`, for the 红头 red given as CMYK (GB/T 9704 §6.2), kept as CMYK.
    Cmyk,
}

impl Space {
    fn name(self) -> &'static str {
        match self {
            Self::Gray => "GRAY",
            Self::Rgb => "RGB",
            Self::Cmyk => "CMYK",
        }
    }
}

/// An image resource (`MultiMedia`, §10 / table 61).
pub struct ImageRes {
    /// Resource ID.
    pub id: u32,
    /// The encoded file.
    pub file: Encoded,
}

/// Everything shared by the pages.
#[derive(Default)]
pub struct Resources {
    last_id: u32,
    /// Fonts used.
    pub fonts: Fonts,
    spaces: Vec<(Space, u32)>,
    images: Vec<ImageRes>,
    /// By image and, for SVG, the pixel size it is drawn at.
    image_index: HashMap<(Image, u64, u64), usize>,
}

/// A colour as OFD writes it (`CT_Color`): the 8-bit components the PDF export also writes.
pub struct OfdColor {
    /// Colour space resource ID.
    pub space: u32,
    /// Components, 0–255.
    pub value: String,
    /// 0–255, when not opaque.
    pub alpha: Option<u8>,
}

impl OfdColor {
    /// Writes `<ofd:{name} Value=… ColorSpace=… Alpha=…/>`.
    pub fn write(&self, x: &mut Xml, name: &'static str) {
        let mut attrs = vec![
            ("Value", self.value.clone()),
            ("ColorSpace", self.space.to_string()),
        ];
        if let Some(a) = self.alpha {
            attrs.push(("Alpha", a.to_string()));
        }
        x.empty(name, &attrs);
    }
}

impl Resources {
    /// A fresh object ID.
    pub fn id(&mut self) -> u32 {
        self.last_id += 1;
        self.last_id
    }

    /// The entry of a font, created (with its resource ID) on first use.
    pub fn font(&mut self, instance: &typst::text::FontInstance) -> &mut super::fonts::UsedFont {
        let mut next = self.last_id;
        let font = self.fonts.entry(instance, || {
            next += 1;
            next
        });
        self.last_id = next;
        font
    }

    /// The largest ID handed out (`MaxUnitID`).
    pub fn max_id(&self) -> u32 {
        self.last_id
    }

    fn space(&mut self, space: Space) -> u32 {
        if let Some((_, id)) = self.spaces.iter().find(|(s, _)| *s == space) {
            return *id;
        }
        let id = self.id();
        self.spaces.push((space, id));
        id
    }

    /// A solid paint as an OFD colour, converted exactly as the PDF export converts it (gray
    /// stays gray, CMYK stays CMYK, everything else becomes sRGB; 8 bits per component).
    pub fn color(&mut self, paint: &Paint) -> Result<OfdColor> {
        let color = match paint {
            Paint::Solid(c) => c,
            Paint::Gradient(_) | Paint::Tiling(_) => {
                return Err(Error::Ofd(
                    "页面上有渐变或图案填充，OFD 输出暂不支持（模板只用纯色时不会出现）".into(),
                ));
            }
        };
        let process: ProcessColor = match color {
            Color::Process(c) => *c,
            // OFD has no separation colour space: a spot colour prints as its process fallback.
            Color::Spot(s) => s.colorant.fallback,
        };
        let (space, n) = match process.space() {
            ProcessColorSpace::D65Gray => (Space::Gray, 1),
            ProcessColorSpace::Cmyk => (Space::Cmyk, 4),
            _ => (Space::Rgb, 3),
        };
        let target = match space {
            Space::Gray => ProcessColorSpace::D65Gray,
            Space::Cmyk => ProcessColorSpace::Cmyk,
            Space::Rgb => ProcessColorSpace::Srgb,
        };
        let v = process.to_space(target).to_vec4_u8();
        // Luma (as l, l, l, alpha) and RGB carry alpha in the last component; CMYK uses all
        // four for ink and is always opaque.
        let alpha = match space {
            Space::Gray | Space::Rgb => v[3],
            Space::Cmyk => 255,
        };
        let value = v[..n]
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        Ok(OfdColor {
            space: self.space(space),
            value,
            alpha: (alpha < 255).then_some(alpha),
        })
    }

    /// The resource ID of `image` shown `size_mm` large, encoding it on first use (the same
    /// seal on two pages is stored once).
    pub fn image(&mut self, image: &Image, size_mm: (f64, f64)) -> Result<u32> {
        let key = match image.kind() {
            typst::visualize::ImageKind::Svg(_) => (
                image.clone(),
                (size_mm.0 * 1000.0).round() as u64,
                (size_mm.1 * 1000.0).round() as u64,
            ),
            _ => (image.clone(), 0, 0),
        };
        if let Some(i) = self.image_index.get(&key) {
            return Ok(self.images[*i].id);
        }
        let file = images::encode(image, size_mm)?;
        let id = self.id();
        self.images.push(ImageRes { id, file });
        self.image_index.insert(key, self.images.len() - 1);
        Ok(id)
    }

    /// Images in order of first use.
    pub fn images(&self) -> &[ImageRes] {
        &self.images
    }

    /// Writes the colour spaces (`ColorSpaces`) into a `Res` part.
    pub fn write_spaces(&self, x: &mut Xml) {
        if self.spaces.is_empty() {
            return;
        }
        x.start("ColorSpaces", &[]);
        for (space, id) in &self.spaces {
            x.empty(
                "ColorSpace",
                &[
                    ("ID", id.to_string()),
                    ("Type", space.name().into()),
                    ("BitsPerComponent", "8".into()),
                ],
            );
        }
        x.end();
    }
}
