//! Reading user data files.

pub mod data;
pub mod limits;
pub mod table;
pub mod text;
