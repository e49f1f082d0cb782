//! `/etc/zones/<zone>.xml`, read directly so that a refresh needs no zonecfg process per zone,
//! and written (by the sim host's zonecfg) the way libzonecfg/libxml2 write it.

mod read;
mod write;

pub use read::parse;
pub use write::render;

/// Where a zone's XML lives under the sys root.
pub fn path_for(zone: &str) -> String {
    format!("/etc/zones/{zone}.xml")
}

/// The rctl behind capped-memory's `physical` (older hosts wrote `<mcap physcap=…>`).
pub const PHYSICAL_MEMORY_RCTL: &str = "zone.max-physical-memory";

#[cfg(test)]
mod tests;
