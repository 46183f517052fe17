//! The typed data model: what a document *is*, with no layout.

pub mod date;
pub mod gongwen;
pub mod value;
