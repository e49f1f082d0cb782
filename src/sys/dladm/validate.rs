//! Validators for what operators type into datalink forms: link names (libdladm's
//! `dladm_valid_linkname`), MAC addresses (dladm's `_link_aton` syntax) and VLAN ids.

use serde::Serialize;

/// The longest link name: MAXLINKNAMELEN is 32 including the terminating NUL.
pub const MAX_LINK_NAME: usize = 31;

/// Check a datalink (or IP interface) name the way `dladm_valid_linkname` does: at most 31
/// characters of letters, digits, `_` and `.`, not starting with a digit, ending in a digit
/// (the PPA, as in `vnic0`).
pub fn validate_link_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("link name is empty".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
    {
        return Err(format!(
            "link name '{name}' contains {c:?}: only letters, digits, '_' and '.' are allowed"
        ));
    }
    if name.len() > MAX_LINK_NAME {
        return Err(format!(
            "link name '{name}' is too long ({} characters, at most {MAX_LINK_NAME})",
            name.len()
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("link name '{name}' must not start with a digit"));
    }
    if !name.ends_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "link name '{name}' must end with a digit (e.g. {name}0)"
        ));
    }
    Ok(())
}

/// A 48-bit Ethernet address. Displays in dladm's form: lower-case hex octets without
/// leading zeros (`2:8:20:ab:cd:1`); [`MacAddr::padded`] gives the two-digit form that
/// dhcpd.conf and most other tools use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// `02:08:20:ab:cd:01`
    pub fn padded(&self) -> String {
        self.0
            .iter()
            .map(|o| format!("{o:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// The group bit: such an address cannot be a VNIC's unicast address.
    pub fn is_multicast(&self) -> bool {
        self.0[0] & 1 == 1
    }

    /// The IPv6 link-local address derived from this MAC (modified EUI-64), as in.ndpd
    /// configures it for `ipadm create-addr -T addrconf`.
    pub fn link_local(&self) -> std::net::Ipv6Addr {
        let m = self.0;
        std::net::Ipv6Addr::new(
            0xfe80,
            0,
            0,
            0,
            u16::from_be_bytes([m[0] ^ 0x02, m[1]]),
            u16::from_be_bytes([m[2], 0xff]),
            u16::from_be_bytes([0xfe, m[3]]),
            u16::from_be_bytes([m[4], m[5]]),
        )
    }
}

impl std::fmt::Display for MacAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let octets: Vec<String> = self.0.iter().map(|o| format!("{o:x}")).collect();
        f.write_str(&octets.join(":"))
    }
}

impl From<MacAddr> for String {
    fn from(m: MacAddr) -> String {
        m.to_string()
    }
}

impl std::str::FromStr for MacAddr {
    type Err = String;
    fn from_str(s: &str) -> Result<MacAddr, String> {
        parse_mac(s)
    }
}

/// Parse a unicast MAC address for a VNIC: six `:`-separated hex octets of one or two
/// digits, any case (`2:8:20:ab:cd:1`, `02:08:20:AB:CD:01`). Display the result for
/// dladm's normalized form.
pub fn parse_mac(text: &str) -> Result<MacAddr, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("MAC address is empty".into());
    }
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() != 6 {
        return Err(format!(
            "invalid MAC address '{t}': expected 6 ':'-separated octets, found {}",
            parts.len()
        ));
    }
    let mut octets = [0u8; 6];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "invalid MAC address '{t}': octet {} ('{p}') is not one or two hex digits",
                i + 1
            ));
        }
        octets[i] = u8::from_str_radix(p, 16).expect("checked hex digits");
    }
    let mac = MacAddr(octets);
    if mac.is_multicast() {
        return Err(format!(
            "invalid MAC address '{t}': the first octet is odd (a multicast address)"
        ));
    }
    if octets == [0; 6] {
        return Err(format!("invalid MAC address '{t}': all zeros"));
    }
    Ok(mac)
}

/// Parse a VLAN id: 1–4094 (0 means untagged and 4095 is reserved).
pub fn parse_vid(text: &str) -> Result<u16, String> {
    let t = text.trim();
    match t.parse::<u32>() {
        Ok(v @ 1..=4094) => Ok(v as u16),
        Ok(v) => Err(format!("VLAN id {v} is out of range: use 1 to 4094")),
        Err(_) => Err(format!(
            "invalid VLAN id '{t}': expected a number from 1 to 4094"
        )),
    }
}
