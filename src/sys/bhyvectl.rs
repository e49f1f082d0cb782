//! bhyvectl(8): the guest-level actions on a running bhyve zone, done the way OmniOS's zadm
//! does them (`Zadm::Zone::Bhyve`): the VM is named after the zone, and only a running zone
//! has one.
//!
//! `--force-poweroff` and `--force-reset` suspend the VM at once (no ACPI request to the
//! guest); the bhyve process then exits and zoneadmd halts the zone (poweroff) or boots it
//! again (reset). `--inject-nmi` delivers an NMI to vCPU 0 (a guest crash dump, typically).

use super::Command;

pub const PROGRAM: &str = "bhyvectl";

/// `--vm=NAME` as one word: getopt_long also takes `--vm NAME`, but one word cannot be
/// misread when NAME begins with `-`.
fn vm_arg(vm: &str) -> String {
    format!("--vm={vm}")
}

/// `bhyvectl --vm=NAME --force-poweroff`: stop the guest at once.
pub fn force_poweroff(vm: &str) -> Command {
    Command::mutating(PROGRAM)
        .arg(vm_arg(vm))
        .arg("--force-poweroff")
}

/// `bhyvectl --vm=NAME --force-reset`: restart the guest at once.
pub fn force_reset(vm: &str) -> Command {
    Command::mutating(PROGRAM)
        .arg(vm_arg(vm))
        .arg("--force-reset")
}

/// `bhyvectl --vm=NAME --inject-nmi`: deliver a non-maskable interrupt to the guest.
pub fn inject_nmi(vm: &str) -> Command {
    Command::mutating(PROGRAM)
        .arg(vm_arg(vm))
        .arg("--inject-nmi")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_name_the_vm_in_one_word_and_need_privilege() {
        assert_eq!(
            force_poweroff("web01").argv(),
            ["bhyvectl", "--vm=web01", "--force-poweroff"]
        );
        assert_eq!(
            force_reset("web01").argv(),
            ["bhyvectl", "--vm=web01", "--force-reset"]
        );
        assert_eq!(
            inject_nmi("db-2.x").argv(),
            ["bhyvectl", "--vm=db-2.x", "--inject-nmi"]
        );
        assert!(force_poweroff("a").privileged);
        assert!(force_reset("a").privileged);
        assert!(inject_nmi("a").privileged);
        // A name starting with '-' stays the option's value, not another option.
        assert_eq!(force_poweroff("-x").args[0], "--vm=-x");
    }
}
