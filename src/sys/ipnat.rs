//! TODO: filled in by the ipnat work.
