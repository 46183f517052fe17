//! Fonts: which glyphs of which font the pages use, and each font embedded as a subset made by
//! `subsetter`, the crate the PDF export uses, so an OFD is as small as its PDF and opens the
//! same on a machine without the fonts.
//!
//! `subsetter` drops the `cmap` table (a PDF brings its own), but an OFD reader finds a glyph
//! from the character in `TextCode` through the font's `cmap` (GB/T 33190 §11.4). So each
//! subset gets a `cmap` of exactly the characters that reach their glyph that way, plus the
//! original `OS/2` (metrics and script ranges readers consult). Glyphs reached otherwise
//! (ligatures, contextual forms) are written with `CGTransform` and need no `cmap` entry.

use std::collections::{BTreeMap, HashMap};

use subsetter::GlyphRemapper;
use typst::text::FontInstance;
use write_fonts::FontBuilder;
use write_fonts::read::FontRef;
use write_fonts::tables::cmap::Cmap;
use write_fonts::types::{GlyphId, Tag};

use crate::error::{Error, Result};

/// One font as used by the document.
pub struct UsedFont {
    /// The font and its variation coordinates.
    pub instance: FontInstance,
    /// The OFD resource ID.
    pub id: u32,
    remapper: GlyphRemapper,
    /// Characters that reach their glyph through the original `cmap`: char → original glyph.
    cmap: BTreeMap<char, u16>,
}

impl UsedFont {
    /// The glyph's ID in the subset (assigned on first use, in page order: deterministic).
    pub fn glyph(&mut self, gid: u16) -> u16 {
        self.remapper.remap(gid)
    }

    /// Whether `c` is drawn with `gid` by the font's own `cmap`: then `TextCode` alone says
    /// which glyph to draw, and the subset's `cmap` gets the entry.
    pub fn maps_plainly(&mut self, c: char, gid: u16) -> bool {
        let plain = self
            .instance
            .ttf()
            .glyph_index(c)
            .is_some_and(|g| g.0 == gid);
        if plain {
            self.remapper.remap(gid);
            self.cmap.insert(c, gid);
        }
        plain
    }

    /// `FontName` and `FamilyName`: the PostScript name and the family (name IDs 6 and 1).
    pub fn names(&self) -> (String, String) {
        let font = self.instance.font();
        let family = font.info().family.clone();
        let ps = font
            .post_script_name()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| family.replace(' ', ""));
        (ps, family)
    }

    /// Whether the font is bold, italic, serif or fixed-width (OFD `Font` attributes).
    pub fn flags(&self) -> (bool, bool, bool, bool) {
        let info = self.instance.font().info();
        let bold = info.variant.weight.to_number() >= 600;
        let italic = info.variant.style != typst::text::FontStyle::Normal;
        let serif = info.flags.contains(typst::text::FontFlags::SERIF);
        let mono = info.flags.contains(typst::text::FontFlags::MONOSPACE);
        (bold, italic, serif, mono)
    }

    /// The subset font file: only the glyphs used, a `cmap` for the characters drawn plainly,
    /// the original `OS/2`.
    pub fn subset(&self) -> Result<Vec<u8>> {
        let font = self.instance.font();
        let (ps, _) = self.names();
        let fail = |what: String| Error::Ofd(format!("字体 {ps} 无法嵌入：{what}"));
        let data = font.data().as_slice();
        let variations: Vec<(subsetter::Tag, f32)> = self
            .instance
            .variations()
            .0
            .iter()
            .map(|(tag, value)| (subsetter::Tag::new(&tag.to_bytes()), value.0))
            .collect();
        let sub = if variations.is_empty() {
            subsetter::subset(data, font.index(), &self.remapper)
        } else {
            subsetter::subset_with_variations(data, font.index(), &variations, &self.remapper)
        }
        .map_err(|e| fail(format!("{e}")))?;
        let mappings = self.cmap.iter().filter_map(|(c, old)| {
            self.remapper
                .get(*old)
                .map(|new| (*c, GlyphId::new(u32::from(new))))
        });
        let cmap = Cmap::from_mappings(mappings).map_err(|e| fail(format!("{e}")))?;
        let parsed = FontRef::new(&sub).map_err(|e| fail(format!("{e}")))?;
        let mut builder = FontBuilder::new();
        builder.add_table(&cmap).map_err(|e| fail(format!("{e}")))?;
        if let Some(os2) = self
            .instance
            .ttf()
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"OS/2"))
        {
            builder.add_raw(Tag::new(b"OS/2"), os2.to_vec());
        }
        builder.copy_missing_tables(parsed);
        Ok(builder.build())
    }

    /// The file extension matching the outlines (`otf` for CFF, `ttf` for TrueType).
    pub fn extension(&self) -> &'static str {
        let face = self.instance.ttf();
        if face
            .raw_face()
            .table(ttf_parser::Tag::from_bytes(b"CFF "))
            .is_some()
            || face
                .raw_face()
                .table(ttf_parser::Tag::from_bytes(b"CFF2"))
                .is_some()
        {
            "otf"
        } else {
            "ttf"
        }
    }
}

/// Every font the pages use, in order of first use.
#[derive(Default)]
pub struct Fonts {
    list: Vec<UsedFont>,
    index: HashMap<FontInstance, usize>,
}

impl Fonts {
    /// The entry for `instance`; a new one gets the resource ID `id()`.
    pub fn entry(&mut self, instance: &FontInstance, id: impl FnOnce() -> u32) -> &mut UsedFont {
        let i = match self.index.get(instance) {
            Some(i) => *i,
            None => {
                self.list.push(UsedFont {
                    instance: instance.clone(),
                    id: id(),
                    remapper: GlyphRemapper::new(),
                    cmap: BTreeMap::new(),
                });
                self.index.insert(instance.clone(), self.list.len() - 1);
                self.list.len() - 1
            }
        };
        &mut self.list[i]
    }

    /// The fonts in order of first use.
    pub fn all(&self) -> &[UsedFont] {
        &self.list
    }
}
