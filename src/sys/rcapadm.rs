//! rcapadm(8): the running zone's physical memory cap (`rcapadm -z ZONE -m SIZE`), in force
//! until the zone halts; the configured `capped-memory physical` applies again at boot.
//!
//! The size is read by libzonecfg's `zonecfg_str_to_bytes`: a number with an optional K, M,
//! G or T (powers of 1024, either case, no `B`); `0` removes the cap.

use super::Command;

/// `rcapadm -z ZONE -m SIZE`, the size in the largest unit that states it exactly.
pub fn set_zone_cap(zone: &str, bytes: u64) -> Command {
    Command::mutating("rcapadm").args(["-z", zone, "-m", &size_arg(bytes)])
}

fn size_arg(bytes: u64) -> String {
    for (shift, unit) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] {
        if bytes != 0 && bytes.is_multiple_of(1u64 << shift) {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_states_the_size_exactly() {
        let cmd = set_zone_cap("web01", 2 << 30);
        assert_eq!(cmd.argv(), ["rcapadm", "-z", "web01", "-m", "2G"]);
        assert!(cmd.privileged);
        assert_eq!(set_zone_cap("w", 512 << 20).args[3], "512M");
        assert_eq!(set_zone_cap("w", 1536 << 20).args[3], "1536M");
        assert_eq!(set_zone_cap("w", 3 << 40).args[3], "3T");
        assert_eq!(set_zone_cap("w", 4097).args[3], "4097");
        assert_eq!(set_zone_cap("w", 0).args[3], "0");
    }
}
