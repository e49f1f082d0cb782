//! TODO: the sim host's net state (filled in by the net work).
