//! zoneadm(8): `list -cp` parsing and the lifecycle commands' argv.

use serde::{Deserialize, Serialize};

use super::zonecfg::IpType;
use super::{Command, ParseError};

/// A zone's state as zoneadm reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneState {
    Configured,
    Incomplete,
    Installed,
    Ready,
    Mounted,
    Running,
    ShuttingDown,
    Down,
}

impl ZoneState {
    pub const ALL: [ZoneState; 8] = [
        ZoneState::Configured,
        ZoneState::Incomplete,
        ZoneState::Installed,
        ZoneState::Ready,
        ZoneState::Mounted,
        ZoneState::Running,
        ZoneState::ShuttingDown,
        ZoneState::Down,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ZoneState::Configured => "configured",
            ZoneState::Incomplete => "incomplete",
            ZoneState::Installed => "installed",
            ZoneState::Ready => "ready",
            ZoneState::Mounted => "mounted",
            ZoneState::Running => "running",
            ZoneState::ShuttingDown => "shutting_down",
            ZoneState::Down => "down",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The zone has a kernel presence (an id): ready, mounted, running, shutting down, down.
    pub fn is_active(self) -> bool {
        self >= ZoneState::Ready
    }
}

impl std::fmt::Display for ZoneState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of `zoneadm list -cp`:
/// `zoneid:zonename:state:zonepath:uuid:brand:ip-type[:debugid]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// None when the zone is not running (`-`).
    pub id: Option<u64>,
    pub name: String,
    pub state: ZoneState,
    pub zonepath: String,
    /// Empty for zones never installed.
    pub uuid: String,
    pub brand: String,
    pub ip_type: IpType,
    pub debugid: Option<i64>,
}

/// `zoneadm list -cp`: every configured zone, parseable.
pub fn list() -> Command {
    Command::read("zoneadm").args(["list", "-cp"])
}

/// `zoneadm -z ZONE list -p`: one zone's line, whatever its state.
pub fn list_zone(zone: &str) -> Command {
    Command::read("zoneadm").args(["-z", zone, "list", "-p"])
}

/// Split a `zoneadm list -p` line. zoneadm escapes only the `:` of a zonepath (`\:`); any
/// other backslash is literal.
fn split_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&':') => {
                chars.next();
                fields.last_mut().unwrap().push(':');
            }
            ':' => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

/// Parse `zoneadm list -cp` output. At least 7 fields per line (the man page's count; real
/// hosts print 8, and more may be appended).
pub fn parse_list(text: &str) -> Result<Vec<ListEntry>, ParseError> {
    const SOURCE: &str = "zoneadm list -cp";
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() {
            continue;
        }
        let f = split_line(line);
        let err = |msg: String| ParseError::new(SOURCE, i + 1, msg);
        if f.len() < 7 {
            return Err(err(format!(
                "expected at least 7 ':'-separated fields, found {}",
                f.len()
            )));
        }
        let id = match f[0].as_str() {
            "-" => None,
            n => Some(
                n.parse()
                    .map_err(|_| err(format!("zone id '{n}' is not a number")))?,
            ),
        };
        let state = ZoneState::parse(&f[2])
            .ok_or_else(|| err(format!("zone '{}' has unknown state '{}'", f[1], f[2])))?;
        let ip_type = IpType::parse(&f[6])
            .ok_or_else(|| err(format!("zone '{}' has unknown ip-type '{}'", f[1], f[6])))?;
        let debugid = match f.get(7).map(String::as_str) {
            None | Some("") => None,
            Some(d) => Some(
                d.parse()
                    .map_err(|_| err(format!("debugid '{d}' is not a number")))?,
            ),
        };
        out.push(ListEntry {
            id,
            name: f[1].clone(),
            state,
            zonepath: f[3].clone(),
            uuid: f[4].clone(),
            brand: f[5].clone(),
            ip_type,
            debugid,
        });
    }
    Ok(out)
}

/// Write one `list -p` line as zoneadm prints it (used by the sim host).
pub fn format_list_line(e: &ListEntry) -> String {
    let id = e.id.map_or_else(|| "-".to_string(), |n| n.to_string());
    let debugid = e.debugid.map(|d| d.to_string()).unwrap_or_default();
    format!(
        "{id}:{}:{}:{}:{}:{}:{}:{debugid}",
        e.name,
        e.state,
        e.zonepath.replace(':', "\\:"),
        e.uuid,
        e.brand,
        e.ip_type.as_zoneadm()
    )
}

fn on_zone(zone: &str, sub: &str) -> Command {
    Command::mutating("zoneadm").args(["-z", zone, sub])
}

pub fn boot(zone: &str) -> Command {
    on_zone(zone, "boot")
}

/// Graceful shutdown (runs the zone's shutdown scripts). With `reboot`, boots it again.
pub fn shutdown(zone: &str, reboot: bool) -> Command {
    let cmd = on_zone(zone, "shutdown");
    if reboot { cmd.arg("-r") } else { cmd }
}

pub fn halt(zone: &str) -> Command {
    on_zone(zone, "halt")
}

pub fn reboot(zone: &str) -> Command {
    on_zone(zone, "reboot")
}

pub fn ready(zone: &str) -> Command {
    on_zone(zone, "ready")
}

pub fn verify(zone: &str) -> Command {
    on_zone(zone, "verify")
}

/// `zoneadm -z Z install [brand options…]`.
pub fn install(zone: &str, brand_args: &[String]) -> Command {
    on_zone(zone, "install").args(brand_args.iter().cloned())
}

/// `zoneadm -z Z uninstall -F`: no prompt.
pub fn uninstall(zone: &str) -> Command {
    on_zone(zone, "uninstall").arg("-F")
}

/// `zoneadm -z NEW clone [-m copy] [-s SNAPSHOT] SOURCE`.
pub fn clone(new_zone: &str, source: &str, copy: bool, snapshot: Option<&str>) -> Command {
    let mut cmd = on_zone(new_zone, "clone");
    if copy {
        cmd = cmd.args(["-m", "copy"]);
    }
    if let Some(snap) = snapshot {
        cmd = cmd.args(["-s", snap]);
    }
    cmd.arg(source)
}

/// `zoneadm -z Z mark incomplete|installed`.
pub fn mark(zone: &str, state: &str) -> Command {
    on_zone(zone, "mark").arg(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "\
0:global:running:/::ipkg:shared:0
3:web01:running:/zones/web01:6f2c8a1e-3b4d-4c5e-9f60-718293a4b5c6:bhyve:excl:12
-:db01:installed:/zones/db01:0b7a4c1d-2e3f-4a5b-8c6d-7e8f90a1b2c3:lipkg:excl:13
-:new1:configured:/zones/new1::sparse:shared:
-:odd:incomplete:/zones/with\\:colon\\:s:11111111-2222-3333-4444-555555555555:pkgsrc:excl:9
-:old:installed:/zones/old:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee:ipkg:shared
";

    #[test]
    fn parses_every_shape_of_line() {
        let zones = parse_list(FIXTURE).unwrap();
        assert_eq!(zones.len(), 6);
        let global = &zones[0];
        assert_eq!(
            (global.id, global.uuid.as_str(), global.debugid),
            (Some(0), "", Some(0))
        );
        let web = &zones[1];
        assert_eq!(web.id, Some(3));
        assert_eq!(web.state, ZoneState::Running);
        assert_eq!(web.brand, "bhyve");
        assert_eq!(web.ip_type, IpType::Exclusive);
        assert_eq!(web.debugid, Some(12));
        assert_eq!(zones[2].id, None);
        let new1 = &zones[3];
        assert_eq!(
            (new1.state, new1.uuid.as_str(), new1.debugid),
            (ZoneState::Configured, "", None)
        );
        assert_eq!(zones[4].zonepath, "/zones/with:colon:s");
        assert_eq!(zones[4].state, ZoneState::Incomplete);
        assert_eq!(zones[5].debugid, None, "the 7-field form of the man page");
    }

    #[test]
    fn long_names_and_paths_are_not_truncated() {
        let name = "z".repeat(63);
        let path = format!("/zones/{}/{}", "deep".repeat(40), name);
        let line = format!(
            "-:{name}:installed:{path}:11111111-2222-3333-4444-555555555555:lipkg:excl:4094"
        );
        let zone = parse_list(&line).unwrap().remove(0);
        assert_eq!(
            (zone.name.len(), zone.zonepath.as_str()),
            (63, path.as_str())
        );
        assert_eq!(zone.debugid, Some(4094));
    }

    #[test]
    fn extra_fields_are_accepted_and_backslashes_kept() {
        let zones = parse_list("-:z:installed:/a\\b:u:ipkg:shared:4:extra:more\n").unwrap();
        assert_eq!(zones[0].zonepath, "/a\\b");
        assert_eq!(zones[0].debugid, Some(4));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        let short = parse_list("-:z:installed:/z\n").unwrap_err();
        assert!(short.message.contains("found 4"), "{short}");
        let state = parse_list("-:z:exploded:/z:u:ipkg:shared:1\n").unwrap_err();
        assert!(state.message.contains("'exploded'"));
        let id = parse_list("x:z:running:/z:u:ipkg:shared:1\n").unwrap_err();
        assert!(id.message.contains("zone id 'x'"));
        let ip = parse_list("-:z:installed:/z:u:ipkg:both:1\n").unwrap_err();
        assert_eq!(ip.line, 1);
    }

    #[test]
    fn formatted_lines_parse_back() {
        for entry in parse_list(FIXTURE).unwrap() {
            let line = format_list_line(&entry);
            let mut again = parse_list(&line).unwrap();
            assert_eq!(again.remove(0), entry, "{line}");
        }
    }

    #[test]
    fn argv_builders() {
        assert_eq!(list().argv(), ["zoneadm", "list", "-cp"]);
        assert!(!list().privileged);
        assert_eq!(
            shutdown("w", true).argv(),
            ["zoneadm", "-z", "w", "shutdown", "-r"]
        );
        assert_eq!(
            uninstall("w").argv(),
            ["zoneadm", "-z", "w", "uninstall", "-F"]
        );
        assert_eq!(
            clone("new", "tmpl", true, Some("SUNWzone1")).argv(),
            [
                "zoneadm",
                "-z",
                "new",
                "clone",
                "-m",
                "copy",
                "-s",
                "SUNWzone1",
                "tmpl"
            ]
        );
        assert!(boot("w").privileged);
        assert_eq!(
            mark("w", "incomplete").argv(),
            ["zoneadm", "-z", "w", "mark", "incomplete"]
        );
    }

    #[test]
    fn active_states() {
        assert!(ZoneState::Running.is_active() && ZoneState::Ready.is_active());
        assert!(!ZoneState::Installed.is_active() && !ZoneState::Incomplete.is_active());
    }
}
