//! TODO: filled in by the zlogin work.
