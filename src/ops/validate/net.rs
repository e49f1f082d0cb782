//! Network fields: datalink names, MAC addresses, VLAN ids, IP addresses with and without a
//! prefix length, a net resource's allowed-address, and the guest's resolvers.

use std::net::{IpAddr, Ipv4Addr};

use super::{char_name, shown, verbatim};
use crate::sys::dladm::{parse_mac, parse_vid, validate_link_name};

/// MAXLINKNAMELEN (32) less the terminating NUL.
const MAX_LINK_NAME: usize = 31;

const ADDRESS_HINT: &str =
    "use four numbers 0-255 separated by dots (192.168.1.10) or an IPv6 address (2001:db8::10)";

/// A datalink name as libdladm's dladm_valid_linkname() takes it: at most 31 characters of
/// letters, digits, `_` and `.`, not starting with a digit, ending in one (`vnic0`).
pub fn link_name(name: &str) -> Result<(), String> {
    const HINT: &str = "use letters, digits and '_' ending in a digit, e.g. vnic0";
    if name.is_empty() {
        return Err(format!("no link name given: {HINT}"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
    {
        return Err(format!(
            "'{}' contains {}: {HINT}",
            shown(name),
            char_name(c)
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "'{name}' starts with a digit: a link name starts with a letter, e.g. vnic0"
        ));
    }
    if name.len() > MAX_LINK_NAME {
        return Err(format!(
            "'{name}' is {} characters long: a link name has at most {MAX_LINK_NAME}",
            name.len()
        ));
    }
    if !name.ends_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "'{name}' does not end with a digit: a link name ends in a number, e.g. {name}0"
        ));
    }
    // Whatever the checks above let through, dladm's own rule has the last word.
    validate_link_name(name)
}

/// A unicast MAC address for a VNIC, six `:`-separated hex octets of one or two digits;
/// returned in dladm's form (lower case, no leading zeros: `2:8:20:a:b:c`). `auto`,
/// `random` and the other dladm address types are choices the caller offers, not MACs.
pub fn mac(text: &str) -> Result<String, String> {
    const HINT: &str = "type six hex octets such as 2:8:20:a:b:c";
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("no MAC address given: {HINT}"));
    }
    let lower = t.to_ascii_lowercase();
    if matches!(lower.as_str(), "auto" | "random" | "factory" | "vrrp") {
        return Err(format!(
            "'{t}' is not a MAC address: {HINT}, or choose {lower} from the list"
        ));
    }
    if t.split('-').count() == 6 && !t.contains(':') {
        return Err(format!(
            "'{}' separates octets with '-': dladm needs ':', e.g. {}",
            shown(t),
            t.replace('-', ":")
        ));
    }
    if let Some(c) = t.chars().find(|c| !(c.is_ascii_hexdigit() || *c == ':')) {
        return Err(format!("'{}' contains {}: {HINT}", shown(t), char_name(c)));
    }
    match parse_mac(t) {
        Ok(m) => Ok(m.to_string()),
        Err(e) if e.contains("multicast") => Err(format!(
            "'{}' is a multicast address (its first octet is odd): a VNIC needs a unicast one; \
             locally administered addresses start with 2, 6, a or e, e.g. 2:8:20:a:b:c",
            shown(t)
        )),
        Err(e) if e.contains("all zeros") => Err(format!(
            "'{}' is all zeros, which no interface may use: {HINT}",
            shown(t)
        )),
        Err(e) => Err(format!("{e}: {HINT}")),
    }
}

/// A VLAN id, 1 to 4094.
pub fn vlan(text: &str) -> Result<u16, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no VLAN id given: use a number from 1 to 4094".into());
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "'{}' is not a VLAN id: use a number from 1 to 4094",
            shown(t)
        ));
    }
    if t.bytes().all(|b| b == b'0') {
        return Err(
            "VLAN id 0 means untagged: leave the VLAN empty for untagged traffic, or use 1 to 4094"
                .into(),
        );
    }
    parse_vid(t).map_err(|_| format!("VLAN id {t} is out of range: use 1 to 4094"))
}

/// One host address, IPv4 or IPv6, without a prefix length. The unspecified, broadcast and
/// multicast addresses are refused: no field of a zone spec can use them.
pub fn ip(text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("no address given: {ADDRESS_HINT}"));
    }
    if let Some((addr, _)) = t.split_once('/') {
        return Err(format!(
            "'{}' has a prefix length: type the address alone, e.g. {}",
            shown(t),
            shown(addr)
        ));
    }
    let addr: IpAddr = match t.parse() {
        Ok(a) => a,
        Err(_) if t.contains('%') => {
            return Err(format!(
                "'{}' has a zone index ('%…'): type the address alone",
                shown(t)
            ));
        }
        Err(_) => return Err(not_an_address(t)),
    };
    if addr.is_unspecified() {
        return Err(format!(
            "'{t}' is the unspecified address: type the address of a host"
        ));
    }
    if addr.is_multicast() {
        return Err(format!(
            "'{t}' is a multicast address: type the address of a host"
        ));
    }
    if addr == IpAddr::V4(Ipv4Addr::BROADCAST) {
        return Err(format!(
            "'{t}' is the broadcast address: type the address of a host"
        ));
    }
    Ok(addr)
}

fn not_an_address(t: &str) -> String {
    if let Some(c) = t
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || ".:-".contains(*c)))
    {
        return format!(
            "'{}' contains {}, so it is not an IP address: {ADDRESS_HINT}",
            shown(t),
            char_name(c)
        );
    }
    if t.contains(|c: char| c.is_ascii_alphabetic() && !c.is_ascii_hexdigit()) || t.contains('-') {
        return format!(
            "'{t}' is a host name, not an IP address: type the address itself, e.g. 192.168.1.10"
        );
    }
    format!("'{t}' is not an IP address: {ADDRESS_HINT}")
}

/// An address with a prefix length, `10.0.0.5/24` or `2001:db8::5/64`: 1 to 32 for IPv4,
/// 1 to 128 for IPv6.
pub fn cidr(text: &str) -> Result<(IpAddr, u8), String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(
            "no address given: type an address with a prefix length, e.g. 10.0.0.5/24".into(),
        );
    }
    let Some((a, p)) = t.split_once('/') else {
        let example = if t.contains(':') { "64" } else { "24" };
        return Err(format!(
            "'{}' has no prefix length: add one, e.g. {}/{example}",
            shown(t),
            shown(t)
        ));
    };
    let addr = ip(a)?;
    let max: u8 = if addr.is_ipv4() { 32 } else { 128 };
    let family = if addr.is_ipv4() { "IPv4" } else { "IPv6" };
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "'{}' is not a prefix length: use a number from 1 to {max}, e.g. /24",
            shown(p)
        ));
    }
    let prefix: u32 = p.parse().unwrap_or(u32::MAX);
    if prefix == 0 {
        return Err(
            "a /0 prefix covers every address: use the network's prefix length, e.g. /24".into(),
        );
    }
    if prefix > u32::from(max) {
        return Err(format!(
            "/{p} is too long for an {family} address: use 1 to {max}"
        ));
    }
    Ok((addr, prefix as u8))
}

/// A net resource's allowed-address: one IP address, with a prefix length (required for
/// IPv6, as zonecfg requires). An IPv4 address that is its network's own address or its
/// broadcast address is refused.
pub fn allowed_address(text: &str) -> Result<(), String> {
    let t = verbatim(text)?;
    if t.contains(',') {
        return Err(format!(
            "'{}' lists several addresses: a net resource takes one; add another net for the next",
            shown(t)
        ));
    }
    if !t.contains('/') {
        let addr = ip(t)?;
        if addr.is_ipv6() {
            return Err(format!(
                "'{t}' has no prefix length, which zonecfg requires for IPv6: e.g. {t}/64"
            ));
        }
        return Ok(());
    }
    let (addr, prefix) = cidr(t)?;
    if let IpAddr::V4(v4) = addr
        && prefix <= 30
    {
        let mask = u32::MAX << (32 - prefix);
        let network = u32::from(v4) & mask;
        let broadcast = network | !mask;
        let net = Ipv4Addr::from(network);
        if u32::from(v4) == network {
            return Err(format!(
                "{v4} is the network address of {net}/{prefix}: use a host address such as {}/{prefix}",
                Ipv4Addr::from(network + 1)
            ));
        }
        if u32::from(v4) == broadcast {
            return Err(format!(
                "{v4} is the broadcast address of {net}/{prefix}: use a host address such as {}/{prefix}",
                Ipv4Addr::from(broadcast - 1)
            ));
        }
    }
    Ok(())
}

/// The guest's DNS resolvers: addresses separated by commas or blanks. The bhyve brand
/// splits its `resolvers` attr on commas, so callers store them joined with `,`.
pub fn resolvers(text: &str) -> Result<Vec<IpAddr>, String> {
    let mut out: Vec<IpAddr> = Vec::new();
    for item in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let addr = ip(item)?;
        if out.contains(&addr) {
            return Err(format!("{addr} is listed twice: give each resolver once"));
        }
        out.push(addr);
    }
    if out.is_empty() {
        return Err(
            "no resolver given: type one or more addresses separated by commas, e.g. 1.1.1.1,9.9.9.9"
                .into(),
        );
    }
    Ok(out)
}
