//! TODO: filled in by the smf work.
