//! Where the PDF draws each glyph, read back from the PDF file itself by hayro's interpreter
//! (text matrices, TJ adjustments and font widths as a PDF reader applies them), in mm from
//! the page's top-left corner, with the text its ToUnicode map gives.

use hayro_interpret::font::Glyph;
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::util::{RectExt, TransformExt};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, interpret_page,
};
use kurbo::{Affine, BezPath};

const MM_PER_PT: f64 = 25.4 / 72.0;

/// One glyph drawn by the PDF.
#[derive(Debug, Clone)]
pub struct PdfGlyph {
    /// The characters it stands for (empty for a glyph with no text of its own).
    pub text: String,
    pub x: f64,
    pub y: f64,
}

#[derive(Default)]
struct Collect {
    glyphs: Vec<PdfGlyph>,
}

impl<'a> Device<'a> for Collect {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}
    fn draw_path(&mut self, _: &BezPath, _: Affine, _: &Paint<'a>, _: &PathDrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph(
        &mut self,
        glyph: &Glyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        mode: &GlyphDrawMode,
    ) {
        // A fill-and-stroke glyph is reported twice; its position once.
        if matches!(mode, GlyphDrawMode::Stroke(_)) {
            return;
        }
        let c = (transform * glyph_transform).as_coeffs();
        let text = match glyph.as_unicode() {
            Some(BfString::Char(c)) => c.to_string(),
            Some(BfString::String(s)) => s,
            None => String::new(),
        };
        self.glyphs.push(PdfGlyph {
            text,
            x: c[4] * MM_PER_PT,
            y: c[5] * MM_PER_PT,
        });
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// Every glyph of every page, in the order the content streams draw them.
pub fn glyphs(pdf: &[u8]) -> Vec<Vec<PdfGlyph>> {
    let pdf = Pdf::new(pdf.to_vec()).expect("hayro parses the PDF");
    let settings = InterpreterSettings::default();
    pdf.pages()
        .iter()
        .map(|page| {
            let cache = InterpreterCache::new();
            let mut ctx = Context::new(
                page.initial_transform(true).to_kurbo(),
                page.intersected_crop_box().to_kurbo(),
                &cache,
                page.xref(),
                settings.clone(),
            );
            let mut dev = Collect::default();
            interpret_page(page, &mut ctx, &mut dev);
            dev.glyphs
        })
        .collect()
}
