//! TODO: filled in by the zpool work.
