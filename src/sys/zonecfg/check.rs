//! The value checks zonecfg and libzonecfg apply: network addresses and link names,
//! paths, attr names and values, rctl names and values, sizes with units.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::IpType;
use super::edit::Out;

/// The help zonecfg prints after a bad network address (HELP_NETADDR).
pub const NETADDR_HELP: &str = "\n<net-addr> :=\t<IPv4-address>[/<IPv4-prefix-length>] |\n\
\t\t<IPv6-address>/<IPv6-prefix-length> |\n\t\t<hostname>[/<IPv4-prefix-length>]\n\
See inet(3C) for IPv4 and IPv6 address syntax.\n<IPv4-prefix-length> := [0-32]\n\
<IPv6-prefix-length> := [0-128]\n<hostname> := [A-Za-z0-9][A-Za-z0-9-.]*\n";

/// The zone-wide rctls this kernel knows (zonecfg rejects other names).
const ZONE_RCTLS: &[&str] = &[
    "zone.cpu-baseline",
    "zone.cpu-burst-time",
    "zone.cpu-cap",
    "zone.cpu-shares",
    "zone.max-locked-memory",
    "zone.max-lofi",
    "zone.max-lwps",
    "zone.max-msg-ids",
    "zone.max-physical-memory",
    "zone.max-processes",
    "zone.max-sem-ids",
    "zone.max-shm-ids",
    "zone.max-shm-memory",
    "zone.max-swap",
    "zone.zfs-io-priority",
];

pub fn valid_rctl_name(name: &str) -> bool {
    ZONE_RCTLS.contains(&name)
}

/// zonecfg_valid_rctlblk(), roughly: a zone rctl value is privileged, has a numeric
/// limit and an action of none, deny or signal=….
pub fn valid_rctl_value(privilege: &str, limit: &str, action: &str) -> bool {
    privilege == "privileged"
        && valid_uint(limit).is_some()
        && (action == "none" || action == "deny" || action.starts_with("signal="))
}

/// strtoull() that rejects a sign, blanks and trailing text.
pub fn valid_uint(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// zonecfg_str_to_bytes(): a number (fractions allowed) with an optional K, M, G or T.
pub fn str_to_bytes(s: &str) -> Option<u64> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let val: f64 = if num.is_empty() {
        0.0
    } else {
        num.parse().ok()?
    };
    let scale: u64 = match unit.trim_start().to_ascii_uppercase().as_str() {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return None,
    };
    Some((val * scale as f64) as u64)
}

/// bytes_to_units(): 1024 → "1K", 1610612736 → "1.5G" (one decimal below ten units).
pub fn bytes_to_units(n: u64) -> String {
    if n < 1024 {
        return n.to_string();
    }
    let units = ['K', 'M', 'G', 'T'];
    let (mut num, mut unit) = (n, 0usize);
    let mut save;
    loop {
        save = num;
        num = (num + 512) >> 10;
        if num < 1024 || unit == units.len() - 1 {
            break;
        }
        unit += 1;
    }
    let u = units[unit];
    if save % 1024 != 0 && (save >> 10) < 10 {
        format!("{:.1}{u}", save as f32 / 1024.0)
    } else {
        format!("{num}{u}")
    }
}

/// validate_zonepath_syntax().
pub fn zonepath_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return Some(format!("{path} is not an absolute path."));
    }
    if path.chars().all(|c| c == '/') {
        return Some("/ is not allowed as a zonepath.".into());
    }
    None
}

/// zonecfg_set_zonepath(): runs of slashes collapse and a trailing slash goes.
pub fn normalize_zonepath(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// validate_net_address_syntax(): the messages it prints; `Err` when the address is bad.
pub fn check_net_address(address: &str, ishost: bool) -> Result<Vec<Out>, Vec<Out>> {
    let mut out = Vec::new();
    let (part1, prefix) = match address.split_once('/') {
        Some((a, p)) => {
            let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
            (a, Some(digits.parse::<i64>().unwrap_or(0)))
        }
        None => (address, None),
    };
    if ishost && prefix.is_some() {
        out.push(Out::Zerr(format!(
            "Warning: prefix length in {address} is not required and will be ignored. \
             The default host-prefix length will be used"
        )));
    }
    if part1.parse::<Ipv6Addr>().is_ok() {
        if !ishost {
            match prefix {
                None => {
                    out.push(Out::Zerr(format!(
                        "{address}: IPv6 addresses require /prefix-length suffix."
                    )));
                    return Err(out);
                }
                Some(p) if !(0..=128).contains(&p) => {
                    out.push(Out::Zerr(format!(
                        "{address}: IPv6 address prefix lengths must be 0 - 128."
                    )));
                    return Err(out);
                }
                _ => {}
            }
        }
        return Ok(out);
    }
    if let (false, Some(p)) = (ishost, prefix)
        && !(0..=32).contains(&p)
    {
        out.push(Out::Zerr(format!(
            "{address}: IPv4 address prefix lengths must be 0 - 32."
        )));
        return Err(out);
    }
    if part1.parse::<Ipv4Addr>().is_ok() {
        return Ok(out);
    }
    let mut chars = part1.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if !ok {
        out.push(Out::Zerr(format!(
            "{part1}: bogus host name or network address syntax"
        )));
        out.push(Out::Stderr(NETADDR_HELP.into()));
        return Err(out);
    }
    Ok(out)
}

/// dladm_valid_linkname(): under 32 characters, letters/digits/`_`/`.`, not starting with
/// a digit and ending with one.
pub fn valid_linkname(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() < 32
        && !b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
}

/// validate_net_physical_syntax() for the zone's ip-type.
pub fn physical_problem(name: &str, ip_type: IpType) -> Option<String> {
    match ip_type {
        IpType::Shared => {
            let (base, lun) = match name.split_once(':') {
                Some((b, l)) => (b, Some(l)),
                None => (name, None),
            };
            if !valid_linkname(base) || lun.is_some_and(|l| valid_uint(l).is_none()) {
                Some(format!("{name}: invalid physical interface name"))
            } else if lun.is_some() {
                Some(format!(
                    "{name}: LUNs not allowed in physical interface names"
                ))
            } else {
                None
            }
        }
        IpType::Exclusive if valid_linkname(name) => None,
        IpType::Exclusive if name.contains(':') => Some(format!(
            "{name}: physical interface name required; logical interface name not allowed"
        )),
        IpType::Exclusive => Some(format!("{name}: invalid physical interface name")),
    }
}

/// valid_fs_type(): a single path component.
pub fn valid_fs_type(t: &str) -> bool {
    t.len() < 256 && !t.is_empty() && !t.contains('/') && t != "." && t != ".."
}

/// validate_attr_name().
pub fn attr_name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return Some(format!(
            "Invalid attr name {name}: must start with an alpha-numeric character."
        ));
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Some(format!(
            "Invalid attr name {name}: can only contain alpha-numeric characters, plus '-' and '.'."
        ));
    }
    None
}

/// The longest string attr value zonecfg accepts: it reads values back into a
/// MAXNAMELEN (256) buffer and calls a longer one invalid.
pub const ATTR_STRING_MAX: usize = 255;

/// validate_attr_type_val().
pub fn attr_value_problem(attr_type: &str, value: &str) -> Option<String> {
    let ok = match attr_type {
        "boolean" => value == "true" || value == "false",
        "int" => value.parse::<i64>().is_ok(),
        "uint" => valid_uint(value).is_some(),
        "string" => value.len() <= ATTR_STRING_MAX,
        _ => return Some(format!("invalid attr type '{attr_type}'")),
    };
    (!ok).then(|| format!("invalid attr value for type={attr_type}"))
}

/// zfs_name_valid() for a filesystem: `pool/child/…`, components of letters, digits and
/// `_-.:`; the pool starts with a letter.
pub fn valid_dataset_name(name: &str) -> bool {
    let mut parts = name.split('/');
    let pool_ok = parts
        .next()
        .is_some_and(|p| p.starts_with(|c: char| c.is_ascii_alphabetic()));
    pool_ok
        && name.split('/').all(|c| {
            !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "_-.:".contains(ch))
        })
}

pub(crate) fn valid_hostid(h: &str) -> bool {
    let hex = h.strip_prefix("0x").unwrap_or(h);
    !hex.is_empty() && hex.len() <= 8 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_print_like_bytes_to_units() {
        assert_eq!(bytes_to_units(512), "512");
        assert_eq!(bytes_to_units(1024), "1K");
        assert_eq!(bytes_to_units(2 << 30), "2G");
        assert_eq!(bytes_to_units(3 << 29), "1.5G");
        assert_eq!(bytes_to_units(12 << 30), "12G");
        assert_eq!(bytes_to_units(5 << 40), "5T");
        assert_eq!(bytes_to_units(3 << 50), "3072T");
        assert_eq!(str_to_bytes("1.5G"), Some(3 << 29));
        assert_eq!(str_to_bytes("512m"), Some(512 << 20));
        assert_eq!(str_to_bytes("4096"), Some(4096));
        assert_eq!(str_to_bytes("2X"), None);
    }

    #[test]
    fn net_address_rules() {
        assert!(check_net_address("10.0.0.5/24", false).is_ok());
        assert!(check_net_address("fe80::1/64", false).is_ok());
        assert!(check_net_address("web-01.example.com", false).is_ok());
        let e = check_net_address("fe80::1", false).unwrap_err();
        assert_eq!(
            e[0].text(),
            "fe80::1: IPv6 addresses require /prefix-length suffix."
        );
        let e = check_net_address("10.0.0.5/40", false).unwrap_err();
        assert!(e[0].text().contains("prefix lengths must be 0 - 32"));
        assert!(check_net_address("-bad", false).is_err());
        let warn = check_net_address("10.0.0.1/24", true).unwrap();
        assert!(warn[0].text().starts_with("Warning: prefix length"));
    }

    #[test]
    fn physical_names_depend_on_ip_type() {
        assert_eq!(physical_problem("vnic0", IpType::Exclusive), None);
        assert_eq!(physical_problem("web01_0", IpType::Exclusive), None);
        assert!(
            physical_problem("net0:1", IpType::Exclusive)
                .unwrap()
                .contains("logical interface name not allowed")
        );
        assert!(physical_problem("0net", IpType::Exclusive).is_some());
        assert!(
            physical_problem("e1000g0:1", IpType::Shared)
                .unwrap()
                .contains("LUNs not allowed")
        );
        assert_eq!(physical_problem("e1000g0", IpType::Shared), None);
    }

    #[test]
    fn attr_checks() {
        assert!(attr_name_problem("cloud-init").is_none());
        assert!(attr_name_problem("-x").unwrap().contains("must start"));
        assert!(
            attr_name_problem("a_b")
                .unwrap()
                .contains("can only contain")
        );
        assert!(attr_value_problem("boolean", "yes").is_some());
        assert!(attr_value_problem("uint", "-1").is_some());
        assert!(attr_value_problem("string", &"k".repeat(256)).is_some());
        assert!(attr_value_problem("string", &"k".repeat(255)).is_none());
        assert_eq!(
            attr_value_problem("float", "1").as_deref(),
            Some("invalid attr type 'float'")
        );
    }
}
