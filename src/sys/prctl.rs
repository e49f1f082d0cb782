//! prctl(1) on zones (placeholder until the caps branch lands).
use super::Command;

pub fn set_zone(zone: &str, rctl: &str, value: u64) -> Command {
    Command::mutating("prctl")
        .args(["-n", rctl, "-t", "privileged", "-v"])
        .arg(value.to_string())
        .args(["-r", "-i", "zone", zone])
}
