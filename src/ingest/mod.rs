//! Reading user data files.

pub mod data;
pub mod image;
pub mod table;
