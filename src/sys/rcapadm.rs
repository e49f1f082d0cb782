//! rcapadm(1M) (placeholder until the caps branch lands).
use super::Command;

pub fn set_zone_cap(zone: &str, bytes: u64) -> Command {
    Command::mutating("rcapadm")
        .args(["-z", zone, "-m"])
        .arg(bytes.to_string())
}
