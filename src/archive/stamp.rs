//! The 归档章 (DA/T 22-2015 §7.3, 附录 A): a ruled stamp of two rows of three cells —
//! 全宗号 · 年度 · 件号 over 机构（问题） · 保管期限 · 页数 — printed in the top-right blank of a 件's
//! first page. Nothing on the page moves: the stamp is laid out on its own and added to the
//! page where the laid-out page has nothing, or the 件 is refused.

use typst::introspection::Tag;
use typst::layout::{Abs, Frame, FrameItem, GroupItem, Point, Transform};
use typst::pdf::AttachElem;

use super::config::StampStyle;
use super::manifest::Entry;

/// Space kept between the stamp and anything printed, mm.
const CLEARANCE_MM: f64 = 1.5;
/// How far below its preferred place the stamp may go looking for room, mm.
const SEARCH_MM: f64 = 30.0;
/// Nearest the stamp comes to the paper's edges (printers' unprintable margin), mm.
const EDGE_MM: f64 = 5.0;
/// The smaller stamp tried when the full-size one finds no room.
const SMALLER: f64 = 0.8;

/// An axis-aligned box on the page, mm from the paper's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Area {
    fn intersects(&self, o: &Area, pad: f64) -> bool {
        self.x0 < o.x1 + pad && o.x0 < self.x1 + pad && self.y0 < o.y1 + pad && o.y0 < self.y1 + pad
    }
}

/// The six entries of the stamp, in reading order (row 1: 全宗号, 年度, 件号; row 2: 机构（问题）,
/// 保管期限, 页数).
pub fn cells(e: &Entry, fonds: &str, pages: usize) -> [String; 6] {
    [
        fonds.to_owned(),
        e.year.map(|y| y.to_string()).unwrap_or_default(),
        e.item_number.map(|n| format!("{n:04}")).unwrap_or_default(),
        e.department
            .as_ref()
            .map(|d| d.1.clone())
            .unwrap_or_default(),
        e.retention
            .map(|r| r.words().to_owned())
            .unwrap_or_default(),
        pages.to_string(),
    ]
}

/// Layout data for `templates/archive/overlay.typ`: the cells with a type size at which each
/// entry fits its cell on one line.
pub fn data(style: &StampStyle, cells: &[String; 6], scale: f64) -> serde_json::Value {
    let w = style.cell_width_mm * scale;
    let h = style.cell_height_mm * scale;
    let cells: Vec<serde_json::Value> = cells
        .iter()
        .map(|t| {
            // CJK characters are one em wide, digits and Latin about half.
            let ems: f64 = t
                .chars()
                .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
                .sum();
            let fit = (w - 2.0) / ems.max(1.0) / crate::gbt9704::pt_to_mm(1.0);
            let size = (style.font_size_pt * scale).min(fit).max(4.0);
            serde_json::json!({"text": t, "size": size})
        })
        .collect();
    serde_json::json!({
        "cell_w": w,
        "cell_h": h,
        "color": style.color,
        "stroke": 0.75 * scale,
        "cells": cells,
    })
}

/// Where the stamp goes on a page: right-aligned with the printed matter's right edge, as high
/// as `style.top_mm` allows, lower if something is printed there; `None` if no place near the
/// top is blank.
pub fn place(page: &Frame, style: &StampStyle, scale: f64) -> Option<(f64, f64)> {
    let (pw, _) = (page.width().to_mm(), page.height().to_mm());
    let w = style.cell_width_mm * 3.0 * scale;
    let h = style.cell_height_mm * 2.0 * scale;
    let mut taken = Vec::new();
    occupied(page, Transform::identity(), &mut taken);
    let right = taken
        .iter()
        .map(|a| a.x1)
        .fold(f64::NAN, f64::max)
        .min(pw - EDGE_MM);
    let right = if right.is_nan() || right - w < EDGE_MM {
        pw - 20.0
    } else {
        right
    };
    let x0 = right - w;
    let mut y = style.top_mm.max(EDGE_MM);
    while y <= style.top_mm + SEARCH_MM {
        let spot = Area {
            x0,
            y0: y,
            x1: right,
            y1: y + h,
        };
        if !taken.iter().any(|a| a.intersects(&spot, CLEARANCE_MM)) {
            return Some((x0, y));
        }
        y += 0.5;
    }
    None
}

/// The scales tried: the configured size, then a smaller stamp.
pub const SCALES: [f64; 2] = [1.0, SMALLER];

/// Everything printed on a frame, as boxes in mm.
pub fn occupied(frame: &Frame, ts: Transform, out: &mut Vec<Area>) {
    for (pos, item) in frame.items() {
        let at = |min: Point, max: Point| {
            let corners = [
                Point::new(min.x, min.y),
                Point::new(max.x, min.y),
                Point::new(min.x, max.y),
                Point::new(max.x, max.y),
            ]
            .map(|p| (p + *pos).transform(ts));
            let xs = corners.map(|p| p.x.to_mm());
            let ys = corners.map(|p| p.y.to_mm());
            Area {
                x0: xs.iter().copied().fold(f64::INFINITY, f64::min),
                y0: ys.iter().copied().fold(f64::INFINITY, f64::min),
                x1: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                y1: ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            }
        };
        match item {
            FrameItem::Group(g) => {
                let inner =
                    ts.pre_concat(Transform::translate(pos.x, pos.y).pre_concat(g.transform));
                occupied(&g.frame, inner, out);
            }
            FrameItem::Text(t) => {
                let s = t.size;
                out.push(at(
                    Point::new(Abs::zero(), -s * 0.9),
                    Point::new(t.width(), s * 0.25),
                ));
            }
            FrameItem::Shape(shape, _) => {
                let r = shape.bbox(true);
                out.push(at(r.min, r.max));
            }
            FrameItem::Image(_, size, _) => out.push(at(Point::zero(), size.to_point())),
            FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}

/// A frame laid out in another compilation, made fit to be added to a document's page: its
/// introspection tags are dropped (they would clash with the document's own) except those of
/// file attachments, which the PDF export finds through them.
pub fn foreign(frame: &Frame) -> Frame {
    let keep: Vec<_> = attach_locations(frame);
    strip(frame, &|tag| match tag {
        Tag::Start(elem, _) => elem.is::<AttachElem>(),
        Tag::End(loc, ..) => keep.contains(loc),
    })
}

/// A frame with every introspection tag removed (pages assembled from several documents).
pub fn untagged(frame: &Frame) -> Frame {
    strip(frame, &|_| false)
}

fn attach_locations(frame: &Frame) -> Vec<typst::introspection::Location> {
    let mut out = Vec::new();
    for (_, item) in frame.items() {
        match item {
            FrameItem::Tag(Tag::Start(elem, _)) if elem.is::<AttachElem>() => {
                out.extend(elem.location());
            }
            FrameItem::Group(g) => out.extend(attach_locations(&g.frame)),
            _ => {}
        }
    }
    out
}

fn strip(frame: &Frame, keep: &dyn Fn(&Tag) -> bool) -> Frame {
    let mut out = Frame::hard(frame.size());
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Tag(tag) if !keep(tag) => {}
            FrameItem::Group(g) => {
                let mut group = GroupItem::new(strip(&g.frame, keep));
                group.transform = g.transform;
                group.clip.clone_from(&g.clip);
                group.label = g.label;
                out.push(*pos, FrameItem::Group(group));
            }
            other => out.push(*pos, other.clone()),
        }
    }
    out
}
