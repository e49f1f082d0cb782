//! TODO: filled in by the dladm work.
