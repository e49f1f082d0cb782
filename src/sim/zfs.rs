//! TODO: the sim host's zfs state (filled in by the zfs work).
