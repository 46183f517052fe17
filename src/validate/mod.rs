//! Rules checked on the data before anything is laid out.

pub mod form;
pub mod gongwen;
pub mod special;
