//! Form definitions: the format ([`schema`]), families a definition builds on ([`family`]), the
//! catalogue groups ([`category`]) and loading with checks ([`load`]).

pub mod cases;
pub mod category;
pub mod explain;
pub mod family;
pub mod load;
pub mod schema;
