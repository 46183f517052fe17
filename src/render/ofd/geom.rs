//! Coordinates: Typst's transforms as affine maps in millimetres, and where an OFD graphic unit
//! goes: its `Boundary` on the page (GB/T 33190 §8.5: the unit's box, whose top-left corner is
//! the origin of the unit's own coordinates) and, for turned or squeezed content, its `CTM`.

use typst::layout::{Abs, Point, Transform};

use super::xml::{num, nums};

/// `x' = a·x + c·y + e`, `y' = b·x + d·y + f`, lengths in mm (the PDF/OFD matrix order).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
    pub e: f64,
    pub f: f64,
}

impl Affine {
    /// The identity.
    pub const IDENTITY: Self = Self {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    /// From a Typst transform.
    pub fn from_typst(t: Transform) -> Self {
        Self {
            a: t.sx.get(),
            b: t.ky.get(),
            c: t.kx.get(),
            d: t.sy.get(),
            e: t.tx.to_mm(),
            f: t.ty.to_mm(),
        }
    }

    /// Applies to a point in mm.
    pub fn apply(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (
            self.a * x + self.c * y + self.e,
            self.b * x + self.d * y + self.f,
        )
    }

    /// Whether the linear part is the identity (content only moved, not turned or scaled).
    pub fn is_translation(&self) -> bool {
        const EPS: f64 = 1e-9;
        (self.a - 1.0).abs() < EPS
            && self.b.abs() < EPS
            && self.c.abs() < EPS
            && (self.d - 1.0).abs() < EPS
    }
}

/// A Typst point in mm.
pub fn mm(p: Point) -> (f64, f64) {
    (p.x.to_mm(), p.y.to_mm())
}

/// A length in mm.
pub fn len(a: Abs) -> f64 {
    a.to_mm()
}

/// An axis-aligned box in mm, grown point by point.
#[derive(Debug, Clone, Copy)]
pub struct BBox {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Default for BBox {
    fn default() -> Self {
        Self {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        }
    }
}

impl BBox {
    /// Adds a point.
    pub fn add(&mut self, (x, y): (f64, f64)) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x);
        self.y1 = self.y1.max(y);
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        !(self.x0.is_finite() && self.x1.is_finite() && self.y0.is_finite() && self.y1.is_finite())
    }

    /// Grown by `pad` on every side.
    pub fn padded(self, pad: f64) -> Self {
        Self {
            x0: self.x0 - pad,
            y0: self.y0 - pad,
            x1: self.x1 + pad,
            y1: self.y1 + pad,
        }
    }
}

/// Where a unit drawn in local coordinates (mapped to the page by `m`) goes.
pub struct Placement {
    /// `Boundary`: x, y, width, height on the page.
    pub boundary: [f64; 4],
    /// `CTM` when the content is turned or scaled.
    pub ctm: Option<[f64; 6]>,
    /// Local → unit coordinates when there is no `CTM` (a shift).
    shift: (f64, f64),
}

impl Placement {
    /// Places content whose local box is `local` under `m`. The boundary is the page box of the
    /// transformed local box, with its corner on the 0.0001 mm grid every number is written on,
    /// so that unit coordinates plus the boundary give back the page position exactly.
    pub fn new(local: BBox, m: Affine) -> Self {
        let mut page = BBox::default();
        for p in [
            (local.x0, local.y0),
            (local.x1, local.y0),
            (local.x0, local.y1),
            (local.x1, local.y1),
        ] {
            page.add(m.apply(p));
        }
        let (bx, by) = (super::xml::round(page.x0), super::xml::round(page.y0));
        let boundary = [
            bx,
            by,
            (page.x1 - bx).max(0.0001),
            (page.y1 - by).max(0.0001),
        ];
        if m.is_translation() {
            Self {
                boundary,
                ctm: None,
                shift: (m.e - bx, m.f - by),
            }
        } else {
            Self {
                boundary,
                ctm: Some([m.a, m.b, m.c, m.d, m.e - bx, m.f - by]),
                shift: (0.0, 0.0),
            }
        }
    }

    /// A local point in the unit's coordinates.
    pub fn local(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x + self.shift.0, y + self.shift.1)
    }

    /// `ID`, `Boundary` and (if any) `CTM` attributes.
    pub fn attrs(&self, id: u32) -> Vec<(&'static str, String)> {
        let mut a = vec![("ID", id.to_string()), ("Boundary", nums(&self.boundary))];
        if let Some(ctm) = self.ctm {
            a.push((
                "CTM",
                ctm.iter()
                    .map(|v| fmt_ctm(*v))
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
        }
        a
    }
}

/// CTM entries: the linear part needs more than 4 decimals (a 0.9 squeeze over 170 mm).
fn fmt_ctm(v: f64) -> String {
    if v.abs() >= 1e-9 && v.abs() < 10.0 {
        let s = format!("{v:.9}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.to_owned() }
    } else {
        num(v)
    }
}
