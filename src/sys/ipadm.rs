//! TODO: filled in by the ipadm work.
