//! Zone lifecycle operations: boot, shutdown, halt, reboot, restart, poweroff, autoboot and
//! running a command in the zone. Each checks the zone's state first and says why an action
//! does not apply.

use serde::{Deserialize, Serialize};

use super::{Action, Plan, Step, zone_object};
use crate::host::inventory::Zone;
use crate::sys::zoneadm::{self, ZoneState};
use crate::sys::{Command, bhyvectl, zlogin};

/// How long a graceful shutdown may take before the task gives up (and halt is offered).
pub const DEFAULT_SHUTDOWN_TIMEOUT_S: u64 = 120;

/// How long a zone may take to leave the kernel after a halt or a poweroff.
const SETTLE_TIMEOUT_S: u64 = 60;

/// What a lifecycle plan needs to know of the zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneFacts {
    pub name: String,
    pub state: ZoneState,
    pub brand: String,
    pub autoboot: bool,
}

impl ZoneFacts {
    pub fn of(zone: &Zone) -> ZoneFacts {
        ZoneFacts {
            name: zone.name.clone(),
            state: zone.state,
            brand: zone.brand.clone(),
            autoboot: zone.config.as_ref().is_some_and(|c| c.autoboot),
        }
    }
}

/// The lifecycle actions, in the order menus show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    Boot,
    Shutdown,
    Halt,
    Reboot,
    Restart,
    Poweroff,
}

impl Lifecycle {
    pub const ALL: [Lifecycle; 6] = [
        Lifecycle::Boot,
        Lifecycle::Shutdown,
        Lifecycle::Halt,
        Lifecycle::Reboot,
        Lifecycle::Restart,
        Lifecycle::Poweroff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Boot => "boot",
            Lifecycle::Shutdown => "shutdown",
            Lifecycle::Halt => "halt",
            Lifecycle::Reboot => "reboot",
            Lifecycle::Restart => "restart",
            Lifecycle::Poweroff => "poweroff",
        }
    }

    pub fn parse(word: &str) -> Option<Lifecycle> {
        Self::ALL.into_iter().find(|l| l.as_str() == word)
    }

    /// Stops or interrupts what runs in the zone: the confirmation defaults to Cancel.
    pub fn is_destructive(self) -> bool {
        self != Lifecycle::Boot
    }

    /// What the action does, for menus and confirmations.
    pub fn summary(self) -> &'static str {
        match self {
            Lifecycle::Boot => "Boot the zone",
            Lifecycle::Shutdown => "Shut the zone down gracefully (its services stop cleanly)",
            Lifecycle::Halt => "Halt the zone at once (no shutdown scripts run)",
            Lifecycle::Reboot => "Reboot the zone (halt and boot, no shutdown scripts)",
            Lifecycle::Restart => "Halt the zone, then boot it",
            Lifecycle::Poweroff => "Power the VM off at once (bhyvectl --force-poweroff)",
        }
    }
}

impl std::fmt::Display for Lifecycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the zone's state rules out touching its kernel side, for actions that need it up.
fn not_up(zone: &ZoneFacts, action: &str) -> String {
    match zone.state {
        ZoneState::Configured => format!(
            "{} is not installed (configured): nothing to {action}",
            zone.name
        ),
        ZoneState::Incomplete => format!(
            "{} is incomplete (an install or uninstall was cut off): uninstall it first",
            zone.name
        ),
        state => format!("{} is {state}, not running", zone.name),
    }
}

/// Whether `action` applies to the zone in its current state; the error says why not.
pub fn check(action: Lifecycle, zone: &ZoneFacts) -> Result<(), String> {
    let state = zone.state;
    match action {
        Lifecycle::Boot => match state {
            ZoneState::Installed | ZoneState::Ready => Ok(()),
            ZoneState::Running => Err(format!("{} is already running", zone.name)),
            ZoneState::ShuttingDown | ZoneState::Down => Err(format!(
                "{} is {state}: wait until it is installed, then boot",
                zone.name
            )),
            ZoneState::Configured => Err(format!(
                "{} is not installed (configured): install it before booting",
                zone.name
            )),
            ZoneState::Incomplete => Err(not_up(zone, "boot")),
            ZoneState::Mounted => Err(format!(
                "{} is mounted for maintenance: halt it first",
                zone.name
            )),
        },
        Lifecycle::Shutdown | Lifecycle::Reboot => match state {
            ZoneState::Running => Ok(()),
            _ => Err(not_up(zone, action.as_str())),
        },
        Lifecycle::Halt | Lifecycle::Restart => {
            if state.is_active() {
                Ok(())
            } else {
                Err(not_up(zone, action.as_str()))
            }
        }
        Lifecycle::Poweroff => {
            if zone.brand != "bhyve" {
                Err(format!(
                    "poweroff is for bhyve VMs; {} is a {} zone (halt it instead)",
                    zone.name, zone.brand
                ))
            } else if state == ZoneState::Running || state == ZoneState::ShuttingDown {
                Ok(())
            } else {
                Err(not_up(zone, "power off"))
            }
        }
    }
}

fn wait_until(zone: &str, state: ZoneState, timeout_s: u64) -> Action {
    Action::WaitZone {
        zone: zone.to_string(),
        until: vec![state],
        timeout_s,
    }
}

/// The plan of a lifecycle action, or why it does not apply.
pub fn lifecycle(
    action: Lifecycle,
    zone: &ZoneFacts,
    shutdown_timeout_s: u64,
) -> Result<Plan, String> {
    check(action, zone)?;
    let name = zone.name.as_str();
    let plan = Plan::new(action.as_str(), name).object(zone_object(name));
    let boot = Step::new("Booting zone", 100, Action::run(zoneadm::boot(name)));
    Ok(match action {
        Lifecycle::Boot => plan.step(boot),
        Lifecycle::Shutdown => plan
            .step(Step::new(
                "Shutting down",
                80,
                Action::Run {
                    command: zoneadm::shutdown(name, false),
                    stdin: None,
                    timeout_s: Some(shutdown_timeout_s),
                },
            ))
            .step(Step::new(
                "Waiting for the zone to halt",
                100,
                wait_until(name, ZoneState::Installed, shutdown_timeout_s),
            )),
        Lifecycle::Halt => plan.step(Step::new(
            "Halting zone",
            100,
            Action::run(zoneadm::halt(name)),
        )),
        Lifecycle::Reboot => plan.step(Step::new(
            "Rebooting zone",
            100,
            Action::run(zoneadm::reboot(name)),
        )),
        Lifecycle::Restart => plan
            .step(Step::new(
                "Halting zone",
                50,
                Action::run(zoneadm::halt(name)),
            ))
            .step(boot),
        Lifecycle::Poweroff => plan
            .step(Step::new(
                "Powering off",
                60,
                Action::run(bhyvectl::force_poweroff(name)),
            ))
            .step(Step::new(
                "Waiting for the zone to halt",
                100,
                wait_until(name, ZoneState::Installed, SETTLE_TIMEOUT_S),
            )),
    })
}

/// `zonecfg -z ZONE set autoboot=true|false`.
pub fn set_autoboot(zone: &ZoneFacts, on: bool) -> Result<Plan, String> {
    if matches!(zone.state, ZoneState::Incomplete) {
        return Err(not_up(zone, "configure"));
    }
    if zone.autoboot == on {
        return Err(format!(
            "autoboot of {} is already {}",
            zone.name,
            if on { "on" } else { "off" }
        ));
    }
    let command =
        Command::mutating("zonecfg").args(["-z", &zone.name, &format!("set autoboot={on}")]);
    Ok(
        Plan::new(if on { "autoboot on" } else { "autoboot off" }, &zone.name)
            .object(zone_object(&zone.name))
            .step(Step::new("Setting autoboot", 100, Action::run(command))),
    )
}

/// Whether a command can run in the zone now (zlogin needs it running).
pub fn check_exec(zone: &ZoneFacts) -> Result<(), String> {
    if zone.state == ZoneState::Running {
        Ok(())
    } else {
        Err(not_up(zone, "run a command in"))
    }
}

/// Run `program args…` in the zone as root (`zlogin ZONE 'program args…'`); its output is the
/// task's log.
pub fn exec(zone: &ZoneFacts, argv: &[String]) -> Result<Plan, String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("no command given to run in the zone".into());
    };
    check_exec(zone)?;
    // Commands in a zone run side by side with each other and with its lifecycle tasks:
    // no lock on the zone (a long exec must not hold up a halt).
    Ok(Plan::new("exec", &zone.name).step(Step::new(
        "Running command",
        100,
        Action::run(zlogin::exec(&zone.name, program, args)),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(state: ZoneState, brand: &str) -> ZoneFacts {
        ZoneFacts {
            name: "web01".into(),
            state,
            brand: brand.into(),
            autoboot: false,
        }
    }

    #[test]
    fn each_action_applies_only_in_its_states() {
        use Lifecycle::*;
        use ZoneState::*;
        let allowed = |a, s, brand| check(a, &zone(s, brand)).is_ok();
        assert!(allowed(Boot, Installed, "ipkg"));
        assert!(allowed(Boot, Ready, "ipkg"));
        assert!(!allowed(Boot, Running, "ipkg"));
        assert!(!allowed(Boot, Configured, "ipkg"));
        for a in [Shutdown, Reboot] {
            assert!(allowed(a, Running, "ipkg"));
            assert!(!allowed(a, Installed, "ipkg"));
            assert!(!allowed(a, Ready, "ipkg"));
        }
        assert!(allowed(Halt, Ready, "ipkg"));
        assert!(allowed(Halt, Down, "ipkg"));
        assert!(!allowed(Halt, Installed, "ipkg"));
        assert!(allowed(Poweroff, Running, "bhyve"));
        assert!(!allowed(Poweroff, Running, "ipkg"));
        assert!(!allowed(Poweroff, Installed, "bhyve"));
    }

    #[test]
    fn refusals_say_why() {
        let err = check(Lifecycle::Boot, &zone(ZoneState::Running, "ipkg")).unwrap_err();
        assert_eq!(err, "web01 is already running");
        let err = check(Lifecycle::Shutdown, &zone(ZoneState::Installed, "ipkg")).unwrap_err();
        assert_eq!(err, "web01 is installed, not running");
        let err = check(Lifecycle::Poweroff, &zone(ZoneState::Running, "lx")).unwrap_err();
        assert!(err.contains("bhyve"), "{err}");
    }

    #[test]
    fn shutdown_waits_with_the_timeout_and_restart_halts_then_boots() {
        let plan = lifecycle(Lifecycle::Shutdown, &zone(ZoneState::Running, "ipkg"), 30).unwrap();
        assert_eq!(
            plan.describe(),
            [
                "zoneadm -z web01 shutdown   # stopped after 30 s",
                "# wait until zone web01 is installed (up to 30 s)"
            ]
        );
        assert_eq!(plan.objects, ["zone:web01"]);
        let plan = lifecycle(Lifecycle::Restart, &zone(ZoneState::Running, "ipkg"), 30).unwrap();
        assert_eq!(
            plan.commands(),
            ["zoneadm -z web01 halt", "zoneadm -z web01 boot"]
        );
        let progress: Vec<u8> = plan.steps.iter().map(|s| s.progress).collect();
        assert_eq!(progress, [50, 100]);
        let plan = lifecycle(Lifecycle::Poweroff, &zone(ZoneState::Running, "bhyve"), 30).unwrap();
        assert_eq!(plan.commands(), ["bhyvectl --vm=web01 --force-poweroff"]);
    }

    #[test]
    fn autoboot_and_exec_plans() {
        let plan = set_autoboot(&zone(ZoneState::Installed, "ipkg"), true).unwrap();
        assert_eq!(plan.commands(), ["zonecfg -z web01 'set autoboot=true'"]);
        assert!(set_autoboot(&zone(ZoneState::Installed, "ipkg"), false).is_err());
        let argv: Vec<String> = ["ls", "-l", "/a b"].map(String::from).to_vec();
        let plan = exec(&zone(ZoneState::Running, "ipkg"), &argv).unwrap();
        assert_eq!(plan.commands(), [r#"zlogin web01 'ls -l '\''/a b'\'''"#]);
        assert!(exec(&zone(ZoneState::Installed, "ipkg"), &argv).is_err());
        assert!(exec(&zone(ZoneState::Running, "ipkg"), &[]).is_err());
    }
}
