//! TODO: filled in by the zfs work.
