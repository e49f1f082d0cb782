//! What `zcon list` and `zcon show` print: one module per kind of object, each with its stable
//! JSON shape and its human table.

pub mod host;
pub mod network;
pub mod storage;
pub mod zones;
