//! Form definitions: the format ([`schema`]) and loading with checks ([`load`]).

pub mod cases;
pub mod load;
pub mod schema;
