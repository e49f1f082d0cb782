//! bhyve brand attributes (zone `attr` resources of type string), as the OmniOS brand's boot
//! script reads them: defaults, aliases and the values bhyve accepts.

use super::{char_name, dns_domain, ram, resolvers, shown, ssh_key, vcpus};

/// The longest string attr value zonecfg takes: it reads values back into a MAXNAMELEN (256)
/// buffer and calls a longer one invalid.
const ATTR_VALUE_MAX: usize = 255;

/// Firmware in /usr/share/bhyve/firmware; `_CSM` ones boot the guest in legacy BIOS mode.
const BOOTROMS: &[&str] = &[
    "BHYVE_RELEASE_CSM",
    "BHYVE_RELEASE",
    "BHYVE_DEBUG_CSM",
    "BHYVE_DEBUG",
];
/// Names from before r151035 that the brand still maps to the ones above.
const OLD_BOOTROMS: &[&str] = &[
    "BHYVE_RELEASE_CSM-2.40",
    "BHYVE_RELEASE-2.70",
    "BHYVE_DEBUG_CSM-2.40",
    "BHYVE_DEBUG-2.70",
];
/// `virtio` is the brand's alias of virtio-blk, `ahci` of ahci-hd.
const DISKIFS: &[&str] = &[
    "virtio-blk",
    "virtio",
    "nvme",
    "ahci",
    "ahci-hd",
    "ahci-cd",
    "ide",
];
/// `virtio` is the brand's alias of virtio-net-viona (the in-kernel viona driver).
const NETIFS: &[&str] = &["virtio-net-viona", "virtio", "virtio-net", "e1000"];
const HOSTBRIDGES: &[&str] = &["i440fx", "q35", "amd", "netapp", "none"];
const TYPES: &[&str] = &["generic", "windows", "openbsd"];
const VNC: &[&str] = &["off", "on", "wait"];
const CLOUD_INIT: &[&str] = &["off", "on"];
const ON_OFF: &[&str] = &["on", "off"];
const OFF_ON: &[&str] = &["off", "on"];
const VGA: &[&str] = &["off", "on", "io"];

/// The attributes [`bhyve_attr`] checks.
const KNOWN: &[&str] = &[
    "acpi",
    "bootrom",
    "cloud-init",
    "diskif",
    "dns-domain",
    "hostbridge",
    "memreserve",
    "netif",
    "password",
    "ram",
    "resolvers",
    "rng",
    "sshkey",
    "type",
    "uefivars",
    "vcpus",
    "vga",
    "vnc",
    "xhci",
];

/// The allowed values of a bhyve attribute offered as choices, default first; None for
/// free-form attributes. `bootrom` also takes a path, `vnc` options and `cloud-init` a file
/// or URL besides these.
pub fn bhyve_choices(attr: &str) -> Option<&'static [&'static str]> {
    Some(match attr {
        "bootrom" => BOOTROMS,
        "diskif" => DISKIFS,
        "netif" => NETIFS,
        "hostbridge" => HOSTBRIDGES,
        "type" => TYPES,
        "vnc" => VNC,
        "cloud-init" => CLOUD_INIT,
        "acpi" | "uefivars" | "xhci" => ON_OFF,
        "rng" | "memreserve" => OFF_ON,
        "vga" => VGA,
        _ => return None,
    })
}

/// Check the value of bhyve attribute `attr`. The value is written verbatim into the zone's
/// configuration, so it may not have blanks around it.
pub fn bhyve_attr(attr: &str, v: &str) -> Result<(), String> {
    if !KNOWN.contains(&attr) {
        return Err(format!(
            "'{}' is not a bhyve attribute zcon checks: use one of {}",
            shown(attr),
            KNOWN.join(", ")
        ));
    }
    // Messages before the per-attribute checks never echo the value: a vnc one may hold a
    // password.
    if attr == "password" {
        return password(v);
    }
    if v.is_empty() {
        let hint = match bhyve_choices(attr) {
            Some(choices) => format!("use one of {}", choices.join(", ")),
            None => "leave the attribute out for the brand's default".into(),
        };
        return Err(format!("no value given: {hint}"));
    }
    if v.trim() != v {
        return Err("the value has blanks around it: remove them".into());
    }
    if v.contains(['\n', '\r']) {
        return Err(if attr == "sshkey" {
            "several keys do not fit in one zonecfg value: put them in a file and give its path"
                .into()
        } else {
            "the value has a line break: a zonecfg value holds one line".into()
        });
    }
    if v.contains('"') {
        return Err("the value contains '\"', which a zonecfg value cannot hold: remove it".into());
    }
    if v.len() > ATTR_VALUE_MAX {
        let fix = if attr == "sshkey" {
            "put the key in a file and give its path, or use a shorter ssh-ed25519 key"
        } else {
            "shorten it"
        };
        return Err(format!(
            "the value is {} characters long, but zonecfg holds at most {ATTR_VALUE_MAX} in an \
             attribute: {fix}",
            v.len()
        ));
    }
    match attr {
        "ram" => ram(v).map(drop),
        "vcpus" => vcpus(v).map(drop),
        "bootrom" => bootrom(v),
        "vnc" => vnc(v),
        "cloud-init" => cloud_init(v),
        "dns-domain" => dns_domain(v),
        "resolvers" if v.contains(' ') => Err(
            "resolvers are separated by commas only (the brand splits on ','), e.g. 1.1.1.1,9.9.9.9"
                .into(),
        ),
        "resolvers" => resolvers(v).map(drop),
        "sshkey" if v.starts_with('/') => path(v),
        "sshkey" => ssh_key(v),
        _ => one_of(attr, v),
    }
}

/// A value from the attribute's list of choices.
fn one_of(attr: &str, v: &str) -> Result<(), String> {
    let choices = bhyve_choices(attr).expect("every other known attr has choices");
    if choices.contains(&v) {
        return Ok(());
    }
    if let Some(c) = choices.iter().find(|c| c.eq_ignore_ascii_case(v)) {
        return Err(format!(
            "'{}' must be written '{c}': values are case-sensitive",
            shown(v)
        ));
    }
    Err(not_a_choice(attr, v, choices))
}

fn not_a_choice(attr: &str, v: &str, choices: &[&str]) -> String {
    if matches!(v, "true" | "yes" | "1" | "false" | "no" | "0") && choices.contains(&"on") {
        let word = if matches!(v, "true" | "yes" | "1") {
            "on"
        } else {
            "off"
        };
        return format!(
            "write '{word}' instead of '{v}': use one of {}",
            choices.join(", ")
        );
    }
    format!(
        "'{}' is not a value for {attr}: use one of {}",
        shown(v),
        choices.join(", ")
    )
}

/// A firmware name (with or without `.fd`), an old alias, or an absolute path.
fn bootrom(v: &str) -> Result<(), String> {
    if v.starts_with('/') {
        return path(v);
    }
    let name = v.strip_suffix(".fd").unwrap_or(v);
    if BOOTROMS.contains(&name) || OLD_BOOTROMS.contains(&name) {
        return Ok(());
    }
    if let Some(c) = BOOTROMS.iter().find(|c| c.eq_ignore_ascii_case(name)) {
        return Err(format!(
            "'{}' must be written '{c}': firmware names are upper case",
            shown(v)
        ));
    }
    Err(format!(
        "'{}' is not a bhyve firmware: use BHYVE_RELEASE_CSM (BIOS), BHYVE_RELEASE (UEFI), \
         BHYVE_DEBUG_CSM, BHYVE_DEBUG, or the absolute path of a firmware file",
        shown(v)
    ))
}

/// `off`, or bhyve framebuffer options: `on` and `wait` (the brand's aliases for a socket at
/// /tmp/vm.vnc), `unix=/path`, `w=`, `h=` and `password=`, separated by commas.
fn vnc(v: &str) -> Result<(), String> {
    const HINT: &str = "use off, on, wait, or options such as unix=/tmp/vm.vnc,w=1024,h=768";
    if v == "off" {
        return Ok(());
    }
    let mut seen: Vec<&str> = Vec::new();
    for item in v.split(',') {
        let (key, value) = item.split_once('=').unwrap_or((item, ""));
        if seen.contains(&key) {
            return Err(format!("{key} is given twice: give it once"));
        }
        seen.push(key);
        match (key, item.contains('=')) {
            ("on" | "wait", false) => {}
            ("off", false) => {
                return Err(
                    "off cannot be combined with other options: use off alone to turn VNC off"
                        .into(),
                );
            }
            ("unix", true) => path(value)?,
            ("w", true) => number_in(key, value, 320, 1920)?,
            ("h", true) => number_in(key, value, 200, 1200)?,
            ("password", true) if value.is_empty() => {
                return Err(
                    "password= is empty: give the VNC password or a file holding it".into(),
                );
            }
            ("password", true) => {}
            ("tcp" | "rfb", true) => {
                return Err(
                    "a zone's VNC server listens on a unix socket: use on, or unix=/path".into(),
                );
            }
            ("", _) => {
                return Err(format!("there is an empty item between commas: {HINT}"));
            }
            _ => return Err(not_vnc(v, item, HINT)),
        }
    }
    Ok(())
}

fn not_vnc(v: &str, item: &str, hint: &str) -> String {
    if v == item && matches!(v, "true" | "yes" | "1" | "false" | "no" | "0") {
        return not_a_choice("vnc", v, VNC);
    }
    format!("'{}' is not a VNC option: {hint}", shown(item))
}

fn number_in(key: &str, value: &str, min: u32, max: u32) -> Result<(), String> {
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) && value.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err(format!(
            "{key}={} is out of range: use a number from {min} to {max}",
            shown(value)
        )),
    }
}

/// `off`, `on` (the brand builds the seed from the zone's settings), the absolute path of a
/// user-data file, or an http(s) URL of a nocloud-net seed.
fn cloud_init(v: &str) -> Result<(), String> {
    if CLOUD_INIT.contains(&v) {
        return Ok(());
    }
    if v.starts_with('/') {
        return path(v);
    }
    let lower = v.to_ascii_lowercase();
    let Some(rest) = ["http://", "https://"]
        .iter()
        .find_map(|s| lower.starts_with(s).then(|| &v[s.len()..]))
    else {
        return Err(if v.contains("://") {
            format!(
                "'{}' is not an http or https URL: cloud-init fetches its seed over http(s)",
                shown(v)
            )
        } else {
            not_a_choice("cloud-init", v, CLOUD_INIT)
                + ", the absolute path of a user-data file, or an http(s) URL"
        });
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("'{}' has no host name after '//'", shown(v)));
    }
    // The URL travels in the SMBIOS serial number ("ds=nocloud-net;s=URL;i=UUID") inside a
    // comma-separated bhyve -B option, so ',' and ';' would cut it short.
    if let Some(c) = rest
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~:/?#[]@&=+%".contains(*c)))
    {
        return Err(format!(
            "the URL contains {}, which cannot pass through bhyve's options: percent-encode it",
            char_name(c)
        ));
    }
    Ok(())
}

/// An absolute path on the host (or in the zone, for vnc unix=) of plain characters:
/// bhyve splits its options on ',' and zonecfg cannot hold '"'.
fn path(p: &str) -> Result<(), String> {
    if !p.starts_with('/') {
        return Err(format!(
            "'{}' is not an absolute path: start it with '/', e.g. /tmp/vm.vnc",
            shown(p)
        ));
    }
    if p.chars().all(|c| c == '/') {
        return Err("'/' is a directory: give the path of a file".into());
    }
    if let Some(c) = p
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/._-+@:~".contains(*c)))
    {
        return Err(format!(
            "'{}' contains {}: use a path of letters, digits and / . _ - + @ : ~",
            shown(p),
            char_name(c)
        ));
    }
    Ok(())
}

/// A cloud-init password or crypt hash (or a path to a file holding one): one line without
/// '"', which is all a zonecfg value can hold.
fn password(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err(
            "no password given: type a password, a crypt hash ($6$…) or a file path".into(),
        );
    }
    if v.contains(['\n', '\r']) {
        return Err("the password has a line break: a zonecfg value holds one line".into());
    }
    if v.trim() != v {
        return Err(
            "the password has blanks at its start or end, which the brand strips: remove them"
                .into(),
        );
    }
    if v.contains('"') {
        return Err(
            "the password contains '\"', which a zonecfg value cannot hold: choose another".into(),
        );
    }
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        return Err(format!("the password contains {}", char_name(c)));
    }
    Ok(())
}

#[cfg(test)]
#[path = "bhyve_tests.rs"]
mod tests;
