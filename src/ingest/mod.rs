//! Reading user data files.

pub mod data;
pub mod image;
pub mod limits;
pub mod table;
pub mod text;
