//! Typst: the world, fonts, templates, PDF and OFD export and checks on the laid-out pages.

pub mod fonts;
pub mod formats;
pub mod inspect;
pub mod ofd;
pub mod pdf;
pub mod templates;
pub mod workers;
pub mod world;
