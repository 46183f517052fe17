//! Writing results to disk.

pub mod atomic;
