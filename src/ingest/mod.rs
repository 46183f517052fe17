//! Reading user data files.

pub mod data;
pub mod table;
