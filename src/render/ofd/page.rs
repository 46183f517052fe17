//! One page's `Content.xml` (GB/T 33190 §7.7): the laid-out Typst frame walked in paint order,
//! as the PDF export walks it. Text becomes `TextObject`s ([`super::text`]), shapes
//! `PathObject`s with their stroke width and colour, images `ImageObject`s, all in one body
//! layer.

use typst::layout::{Frame, FrameItem, Point, Size, Transform};
use typst::visualize::{
    Curve, CurveItem, FillRule, FixedStroke, Geometry, Image, LineCap, LineJoin, Shape,
};
use typst_layout::Page;

use super::geom::{Affine, BBox, Placement, len, mm};
use super::resources::Resources;
use super::text;
use super::xml::{Xml, num, nums};
use crate::error::Result;

/// Writes the content of `page`. `area` is the document's default page area; a page of
/// another size gets its own `Area`.
pub fn content(res: &mut Resources, page: &Page, area: (f64, f64)) -> Result<Vec<u8>> {
    let mut x = Xml::new("Page", &[]);
    let size = (page.frame.width().to_mm(), page.frame.height().to_mm());
    if (size.0 - area.0).abs() > 1e-6 || (size.1 - area.1).abs() > 1e-6 {
        x.start("Area", &[]);
        x.text("PhysicalBox", &[], &nums(&[0.0, 0.0, size.0, size.1]));
        x.end();
    }
    x.start("Content", &[]);
    let layer = res.id();
    x.start(
        "Layer",
        &[("ID", layer.to_string()), ("Type", "Body".into())],
    );
    let mut w = Writer { res, x: &mut x };
    if let typst::foundations::Smart::Custom(Some(fill)) = &page.fill {
        // A page colour set by the template is painted first, as in the PDF.
        let shape = Shape {
            geometry: Geometry::Rect(page.frame.size()),
            fill: Some(fill.clone()),
            fill_rule: FillRule::NonZero,
            stroke: None,
        };
        w.shape(&shape, Affine::IDENTITY)?;
    }
    w.frame(&page.frame, Affine::IDENTITY)?;
    Ok(x.finish())
}

/// Walks frames into one layer.
pub struct Writer<'a> {
    /// Shared resources.
    pub res: &'a mut Resources,
    /// The part being written.
    pub x: &'a mut Xml,
}

fn concat(outer: Affine, t: Transform) -> Affine {
    let i = Affine::from_typst(t);
    Affine {
        a: outer.a * i.a + outer.c * i.b,
        b: outer.b * i.a + outer.d * i.b,
        c: outer.a * i.c + outer.c * i.d,
        d: outer.b * i.c + outer.d * i.d,
        e: outer.a * i.e + outer.c * i.f + outer.e,
        f: outer.b * i.e + outer.d * i.f + outer.f,
    }
}

impl Writer<'_> {
    /// Writes every item of `frame`, whose origin `m` maps to the page.
    pub fn frame(&mut self, frame: &Frame, m: Affine) -> Result<()> {
        for (pos, item) in frame.items() {
            let here = concat(m, Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => self.frame(&g.frame, concat(here, g.transform))?,
                FrameItem::Text(t) => text::write(self, t, here)?,
                FrameItem::Shape(shape, _) => self.shape(shape, here)?,
                FrameItem::Image(image, size, _) => self.image(image, *size, here)?,
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
        Ok(())
    }

    /// A shape as a `PathObject` (§9.1).
    pub fn shape(&mut self, shape: &Shape, m: Affine) -> Result<()> {
        let mut path = PathData::default();
        match &shape.geometry {
            Geometry::Line(to) => {
                path.push('M', &[(0.0, 0.0)]);
                path.push('L', &[mm(*to)]);
            }
            Geometry::Rect(size) => rect(&mut path, *size),
            Geometry::Curve(curve) => curve_data(&mut path, curve),
        }
        if path.bbox.is_empty() {
            return Ok(());
        }
        // Lines are never filled (a PDF fill of a line paints nothing either).
        let fill = match &shape.geometry {
            Geometry::Line(_) => None,
            _ => shape.fill.as_ref(),
        };
        let stroke = shape.stroke.as_ref();
        if fill.is_none() && stroke.is_none() {
            return Ok(());
        }
        let pad = stroke.map_or(0.0, |s| {
            len(s.thickness) * s.miter_limit.get().max(1.0) / 2.0
        });
        let place = Placement::new(path.bbox.padded(pad + 0.01), m);
        let mut attrs = place.attrs(self.res.id());
        attrs.push(("Stroke", stroke.is_some().to_string()));
        attrs.push(("Fill", fill.is_some().to_string()));
        if fill.is_some() && shape.fill_rule == FillRule::EvenOdd {
            attrs.push(("Rule", "Even-Odd".into()));
        }
        if let Some(s) = stroke {
            stroke_attrs(&mut attrs, s);
        }
        let fill_color = fill.map(|p| self.res.color(p)).transpose()?;
        let stroke_color = stroke.map(|s| self.res.color(&s.paint)).transpose()?;
        self.x.start("PathObject", &attrs);
        if let Some(c) = stroke_color {
            c.write(self.x, "StrokeColor");
        }
        if let Some(c) = fill_color {
            c.write(self.x, "FillColor");
        }
        self.x
            .text("AbbreviatedData", &[], &path.render(|p| place.local(p)));
        self.x.end();
        Ok(())
    }

    /// An image as an `ImageObject` (§10): the unit square of the image mapped onto its box.
    fn image(&mut self, image: &Image, size: Size, m: Affine) -> Result<()> {
        let (w, h) = (len(size.x), len(size.y));
        if w <= 0.0 || h <= 0.0 {
            return Ok(());
        }
        // The size on paper decides an SVG's pixel count.
        let shown = (w * m.a.hypot(m.b), h * m.c.hypot(m.d));
        let resource = self.res.image(image, shown)?;
        let mut local = BBox::default();
        local.add((0.0, 0.0));
        local.add((w, h));
        let place = Placement::new(local, m);
        let ctm = match place.ctm {
            Some([a, b, c, d, e, f]) => [a * w, b * w, c * h, d * h, e, f],
            None => {
                let (e, f) = place.local((0.0, 0.0));
                [w, 0.0, 0.0, h, e, f]
            }
        };
        let attrs = [
            ("ID", self.res.id().to_string()),
            ("Boundary", nums(&place.boundary)),
            ("CTM", nums(&ctm)),
            ("ResourceID", resource.to_string()),
        ];
        self.x.empty("ImageObject", &attrs);
        Ok(())
    }
}

fn stroke_attrs(attrs: &mut Vec<(&'static str, String)>, s: &FixedStroke) {
    attrs.push(("LineWidth", num(len(s.thickness))));
    let cap = match s.cap {
        LineCap::Butt => "Butt",
        LineCap::Round => "Round",
        LineCap::Square => "Square",
    };
    let join = match s.join {
        LineJoin::Miter => "Miter",
        LineJoin::Round => "Round",
        LineJoin::Bevel => "Bevel",
    };
    attrs.push(("Cap", cap.into()));
    attrs.push(("Join", join.into()));
    attrs.push(("MiterLimit", num(s.miter_limit.get())));
    if let Some(dash) = &s.dash {
        let array: Vec<f64> = dash.array.iter().map(|a| len(*a)).collect();
        if !array.is_empty() {
            attrs.push(("DashOffset", num(len(dash.phase))));
            attrs.push(("DashPattern", nums(&array)));
        }
    }
}

/// Path data in OFD's abbreviated syntax (§9.3.2, table 35), built in local coordinates.
#[derive(Default)]
pub struct PathData {
    ops: Vec<(char, Vec<(f64, f64)>)>,
    /// Box of every point, control points included.
    pub bbox: BBox,
}

impl PathData {
    /// Adds an operator with its points.
    pub fn push(&mut self, op: char, points: &[(f64, f64)]) {
        for p in points {
            self.bbox.add(*p);
        }
        self.ops.push((op, points.to_vec()));
    }

    /// The text, each point mapped by `f`.
    pub fn render(&self, f: impl Fn((f64, f64)) -> (f64, f64)) -> String {
        let mut out = Vec::new();
        for (op, pts) in &self.ops {
            let mut s = op.to_string();
            for p in pts {
                let (x, y) = f(*p);
                s.push(' ');
                s.push_str(&num(x));
                s.push(' ');
                s.push_str(&num(y));
            }
            out.push(s);
        }
        out.join(" ")
    }
}

fn rect(path: &mut PathData, size: Size) {
    let (w, h) = mm(Point::new(size.x, size.y));
    path.push('M', &[(0.0, 0.0)]);
    path.push('L', &[(w, 0.0)]);
    path.push('L', &[(w, h)]);
    path.push('L', &[(0.0, h)]);
    path.push('C', &[]);
}

fn curve_data(path: &mut PathData, curve: &Curve) {
    for item in curve.0.iter() {
        match item {
            CurveItem::Move(p) => path.push('M', &[mm(*p)]),
            CurveItem::Line(p) => path.push('L', &[mm(*p)]),
            CurveItem::Cubic(a, b, c) => path.push('B', &[mm(*a), mm(*b), mm(*c)]),
            CurveItem::Close => path.push('C', &[]),
        }
    }
}
