//! The executor: plans run as tasks in a detached worker process, recorded in a journal that
//! every client follows.

pub mod client;
pub mod engine;
pub mod journal;
pub mod model;
pub mod worker;
