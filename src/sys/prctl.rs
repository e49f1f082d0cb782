//! prctl(1): a running zone's resource controls, read in the parseable form `prctl -P`.
//!
//! `prctl -P -n RCTL -i zone ZONE` prints the entity header even in parseable mode, then
//! one line per value, fields separated by single spaces:
//!
//! ```text
//! zone: 5: web01
//! zone.max-lwps usage 183 - - -
//! zone.max-lwps privileged 2000 - deny -
//! zone.max-lwps system 2147483647 max deny -
//! ```
//!
//! Values are exact integers (bytes for memory controls, percent of one CPU for
//! `zone.cpu-cap`). The flag is `max` or `inf` on the system value, `-` otherwise; the
//! action is `none`, `deny`, `signal=SIG` or `deny,signal=SIG`; the recipient is `-` or a
//! pid. A zone has no privileged value for a control that its configuration does not set
//! (`zone.cpu-shares` has the kernel's default of 1), and `prctl -r` only replaces an
//! existing value: [`set_zone_live`] picks `-r` or `-s` accordingly.

use serde::Serialize;

use super::{Command, ParseError};

/// `prctl -n RCTL -t privileged -v VALUE -r -i zone ZONE`: replace the zone's first
/// privileged value (fails when it has none).
pub fn set_zone(zone: &str, rctl: &str, value: u64) -> Command {
    change(zone, rctl, value, "-r")
}

/// `prctl -n RCTL -t privileged -v VALUE -s -i zone ZONE`: add a privileged value (for a
/// control the zone was booted without).
pub fn add_zone(zone: &str, rctl: &str, value: u64) -> Command {
    change(zone, rctl, value, "-s")
}

/// Replace the zone's privileged value when `current` (the zone's values, as [`parse`]
/// read them) has one, else add one.
pub fn set_zone_live(zone: &str, rctl: &str, value: u64, current: &[RctlValue]) -> Command {
    if privileged_limit(current, rctl).is_some() {
        set_zone(zone, rctl, value)
    } else {
        add_zone(zone, rctl, value)
    }
}

fn change(zone: &str, rctl: &str, value: u64, op: &str) -> Command {
    Command::mutating("prctl").args([
        "-n",
        rctl,
        "-t",
        "privileged",
        "-v",
        &value.to_string(),
        op,
        "-i",
        "zone",
        zone,
    ])
}

/// `prctl -P -n RCTL -i zone ZONE`.
pub fn get_zone(zone: &str, rctl: &str) -> Command {
    Command::read("prctl").args(["-P", "-n", rctl, "-i", "zone", zone])
}

/// The privilege column: `usage` is the current consumption, not a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Privilege {
    Usage,
    Basic,
    Privileged,
    System,
}

impl Privilege {
    fn parse(text: &str) -> Option<Privilege> {
        Some(match text {
            "usage" => Privilege::Usage,
            "basic" => Privilege::Basic,
            "privileged" => Privilege::Privileged,
            "system" => Privilege::System,
            _ => return None,
        })
    }
}

/// One line of `prctl -P` output for a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RctlValue {
    /// The zone the values belong to (from the `zone: ID: NAME` header).
    pub zone: String,
    pub zone_id: u64,
    /// e.g. `zone.max-lwps`.
    pub rctl: String,
    pub privilege: Privilege,
    pub value: u64,
    /// `max` or `inf` (system values); None for `-`.
    pub flag: Option<String>,
    /// `none`, `deny`, `signal=XCPU`, `deny,signal=XCPU`; None on the usage line.
    pub action: Option<String>,
    /// The pid a signal goes to; None for `-`.
    pub recipient: Option<i32>,
}

/// The limit in force: the lowest privileged value of `rctl` (None when the zone has none).
pub fn privileged_limit(values: &[RctlValue], rctl: &str) -> Option<u64> {
    values
        .iter()
        .filter(|v| v.rctl == rctl && v.privilege == Privilege::Privileged)
        .map(|v| v.value)
        .min()
}

/// The current usage of `rctl`, when prctl reported it.
pub fn usage(values: &[RctlValue], rctl: &str) -> Option<u64> {
    values
        .iter()
        .find(|v| v.rctl == rctl && v.privilege == Privilege::Usage)
        .map(|v| v.value)
}

const SOURCE: &str = "prctl -P";

/// Parse the output of `prctl -P … -i zone ZONE…` (one block per zone operand).
pub fn parse(text: &str) -> Result<Vec<RctlValue>, ParseError> {
    let mut out = Vec::new();
    let mut zone: Option<(u64, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let err = |msg: String| ParseError::new(SOURCE, i + 1, msg);
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("zone: ") {
            let (id, name) = rest
                .split_once(": ")
                .ok_or_else(|| err(format!("expected 'zone: ID: NAME', found {line:?}")))?;
            let id = id
                .parse::<u64>()
                .map_err(|_| err(format!("zone id {id:?} is not a number")))?;
            zone = Some((id, name.to_string()));
            continue;
        }
        let Some((zone_id, zone_name)) = &zone else {
            return Err(err(format!(
                "expected a 'zone: ID: NAME' header before {line:?}"
            )));
        };
        let fields: Vec<&str> = line.split(' ').collect();
        let [rctl, privilege, value, flag, action, recipient] = fields[..] else {
            return Err(err(format!(
                "expected 'NAME PRIVILEGE VALUE FLAG ACTION RECIPIENT', found {line:?}"
            )));
        };
        let privilege = Privilege::parse(privilege)
            .ok_or_else(|| err(format!("unknown privilege {privilege:?} of {rctl}")))?;
        let value = value
            .parse::<u64>()
            .map_err(|_| err(format!("value {value:?} of {rctl} is not a number")))?;
        let dash = |s: &str| (s != "-").then(|| s.to_string());
        let recipient = match recipient {
            "-" => None,
            pid => Some(
                pid.parse::<i32>()
                    .map_err(|_| err(format!("recipient {pid:?} of {rctl} is not a pid")))?,
            ),
        };
        out.push(RctlValue {
            zone: zone_name.clone(),
            zone_id: *zone_id,
            rctl: rctl.to_string(),
            privilege,
            value,
            flag: dash(flag),
            action: dash(action),
            recipient,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `prctl -P -i zone web01` trimmed to three controls, as an OmniOS host prints it.
    const WEB01: &str = "zone: 5: web01
zone.max-swap usage 351272960 - - -
zone.max-swap privileged 2147483648 - deny -
zone.max-swap system 18446744073709551615 max deny -
zone.cpu-cap usage 3 - - -
zone.cpu-cap privileged 150 - deny -
zone.cpu-cap system 4294967295 inf deny -
zone.cpu-shares usage 1 - - -
zone.cpu-shares privileged 1 - none -
zone.cpu-shares system 65535 max none -
";

    #[test]
    fn argv() {
        let set = set_zone("web01", "zone.max-lwps", 2000);
        assert_eq!(
            set.argv(),
            [
                "prctl",
                "-n",
                "zone.max-lwps",
                "-t",
                "privileged",
                "-v",
                "2000",
                "-r",
                "-i",
                "zone",
                "web01"
            ]
        );
        assert!(set.privileged);
        assert_eq!(add_zone("z", "zone.cpu-cap", 150).args[6], "-s");
        let get = get_zone("web01", "zone.cpu-cap");
        assert_eq!(
            get.argv(),
            ["prctl", "-P", "-n", "zone.cpu-cap", "-i", "zone", "web01"]
        );
        assert!(!get.privileged);
    }

    #[test]
    fn set_live_replaces_only_what_exists() {
        let values = parse(WEB01).unwrap();
        let cmd = set_zone_live("web01", "zone.cpu-cap", 200, &values);
        assert_eq!(cmd.args[6], "-r");
        let cmd = set_zone_live("web01", "zone.max-lwps", 500, &values);
        assert_eq!(cmd.args[6], "-s");
    }

    #[test]
    fn parses_values_with_the_zone() {
        let values = parse(WEB01).unwrap();
        assert_eq!(values.len(), 9);
        assert_eq!(
            values[2],
            RctlValue {
                zone: "web01".into(),
                zone_id: 5,
                rctl: "zone.max-swap".into(),
                privilege: Privilege::System,
                value: u64::MAX,
                flag: Some("max".into()),
                action: Some("deny".into()),
                recipient: None,
            }
        );
        assert_eq!(values[0].privilege, Privilege::Usage);
        assert_eq!(values[0].action, None);
        assert_eq!(values[5].flag.as_deref(), Some("inf"));
        assert_eq!(privileged_limit(&values, "zone.cpu-cap"), Some(150));
        assert_eq!(privileged_limit(&values, "zone.max-lwps"), None);
        assert_eq!(usage(&values, "zone.max-swap"), Some(351272960));
    }

    #[test]
    fn several_zones_signals_and_empty_output() {
        let text = "zone: 5: web01\n\
                    zone.max-lwps privileged 100 - deny,signal=SIGXCPU 812\n\
                    \n\
                    zone: 12: a-zone-with-a-rather-long-name.example.com\n\
                    zone.max-lwps privileged 300 - deny -\n\
                    zone.max-lwps privileged 200 - none -\n";
        let values = parse(text).unwrap();
        assert_eq!(values[0].action.as_deref(), Some("deny,signal=SIGXCPU"));
        assert_eq!(values[0].recipient, Some(812));
        assert_eq!(values[1].zone, "a-zone-with-a-rather-long-name.example.com");
        assert_eq!(values[1].zone_id, 12);
        // The lowest privileged value is the one enforced.
        assert_eq!(privileged_limit(&values[1..], "zone.max-lwps"), Some(200));
        // `-t` filtering can leave nothing, header included.
        assert_eq!(parse("").unwrap(), []);
    }

    #[test]
    fn rejects_what_is_not_prctl_p() {
        let e = parse("zone.max-lwps privileged 100 - deny -\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("header"), "{e}");
        // The human table is not the parseable form.
        let human = "zone: 5: web01\n\
                     NAME    PRIVILEGE       VALUE    FLAG   ACTION                       RECIPIENT\n";
        let e = parse(human).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("expected 'NAME PRIVILEGE"), "{e}");
        let e = parse("zone: x: web01\n").unwrap_err();
        assert!(e.message.contains("zone id \"x\""), "{e}");
        let e = parse("zone: 5: w\nzone.cpu-cap privileged 1.50 - deny -\n").unwrap_err();
        assert!(e.message.contains("\"1.50\" of zone.cpu-cap"), "{e}");
        let e = parse("zone: 5: w\nzone.cpu-cap owner 1 - deny -\n").unwrap_err();
        assert!(e.message.contains("unknown privilege"), "{e}");
        let e = parse("zone: 5: w\nzone.cpu-cap system 1 - deny x\n").unwrap_err();
        assert!(e.message.contains("not a pid"), "{e}");
    }
}
