//! Stated limits on untrusted input, checked before layout so that no input can exhaust memory
//! or time. The defaults suit an office; `wenshu.toml` `[limits]` changes them for a run (see
//! SECURITY.md).

use std::sync::RwLock;

use serde::Deserialize;

/// Limits on what a data file may ask the engine to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest image file (seal, signature), bytes.
    pub image_max_bytes: u64,
    /// Most pixels of a raster image (width × height); a 42 mm seal scanned at 1200 dpi has
    /// about 4 million.
    pub image_max_pixels: u64,
    /// Longest side of a raster image, pixels.
    pub image_max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            image_max_bytes: 20 * 1024 * 1024,
            image_max_pixels: 40_000_000,
            image_max_side: 20_000,
        }
    }
}

static CURRENT: RwLock<Limits> = RwLock::new(Limits {
    image_max_bytes: 20 * 1024 * 1024,
    image_max_pixels: 40_000_000,
    image_max_side: 20_000,
});

/// The limits in force.
pub fn get() -> Limits {
    CURRENT.read().map(|l| *l).unwrap_or_default()
}

/// Sets the limits for the rest of the process (from the configuration, at start-up).
pub fn set(limits: Limits) {
    if let Ok(mut l) = CURRENT.write() {
        *l = limits;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_static_defaults_are_the_documented_defaults() {
        assert_eq!(super::get(), super::Limits::default());
    }
}
