//! wenshu (文书): structured data in, GB/T 9704-2012 公文 and office forms out, validated first.
//!
//! Stages run in one direction: [`ingest`] → [`model`] → [`validate`] → [`prepare`] →
//! [`render`] → [`output`]. [`gbt9704`] holds every number of the standard; [`pipeline`] chains
//! the stages for one document; `cli` (in the binary's crate) only parses arguments.

#![recursion_limit = "256"]

pub mod archive;
pub mod bench;
pub mod cli;
pub mod error;
pub mod fill;
pub mod form;
pub mod gbt9704;
pub mod ingest;
pub mod limits;
pub mod model;
pub mod number;
pub mod output;
pub mod pipeline;
pub mod prepare;
pub mod regexes;
pub mod render;
pub mod validate;

pub use error::{Diagnostic, Error, Result, Severity};
pub use render::world::{Engine, EngineOptions};
