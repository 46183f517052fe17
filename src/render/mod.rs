//! Typst: the world, fonts, templates, PDF export and checks on the laid-out pages.

pub mod fonts;
pub mod inspect;
pub mod pdf;
pub mod templates;
pub mod workers;
pub mod world;
