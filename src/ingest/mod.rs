//! Reading user data files.

pub mod data;
