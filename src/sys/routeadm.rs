//! TODO: filled in by the routeadm work.
