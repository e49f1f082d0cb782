//! TODO: the sim host's smf state (filled in by the smf work).
