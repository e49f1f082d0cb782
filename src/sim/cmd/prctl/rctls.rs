//! The zone-wide resource controls of an OmniOS kernel (usr/src/uts/common/os/zone.c,
//! zone_init()): their units, system values and global flags, the values a zone boots with,
//! and prctl's scaled numbers (usr/src/cmd/prctl/utils.c).

use crate::sys::zonecfg::ZoneConfig;

use super::live::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    /// RCTL_GLOBAL_BYTES: scaled by powers of 1024 with a `B` unit.
    Bytes,
}

#[derive(Debug)]
pub struct Def {
    pub name: &'static str,
    pub unit: Unit,
    /// The system value: the most the kernel accepts.
    pub max: u64,
    /// RCTL_GLOBAL_INFINITE: the system value's flag reads `inf` rather than `max`.
    pub infinite: bool,
    /// RCTL_GLOBAL_DENY_ALWAYS: every value of the control denies.
    pub deny_always: bool,
    /// RCTL_GLOBAL_DENY_NEVER: nothing denies (the system value's action is `none`).
    pub deny_never: bool,
}

const INT_MAX: u64 = i32::MAX as u64;
/// MAXCAP of the CPU caps code.
const MAXCAP: u64 = u32::MAX as u64;
/// FSS_MAXSHARES.
const FSS_MAXSHARES: u64 = 65535;
/// IPC_IDS_MAX.
const IPC_IDS_MAX: u64 = 1 << 24;

const fn def(name: &'static str, unit: Unit, max: u64, action: (bool, bool)) -> Def {
    Def {
        name,
        unit,
        max,
        infinite: false,
        deny_always: action.0,
        deny_never: action.1,
    }
}

const DENY: (bool, bool) = (true, false);
const NEVER: (bool, bool) = (false, true);
const EITHER: (bool, bool) = (false, false);

/// In the order rctl_walk() lists them: the kernel keeps each entity's controls newest
/// registration first.
pub const ZONE_RCTLS: &[Def] = &[
    def("zone.max-lofi", Unit::Count, u64::MAX, DENY),
    def("zone.max-physical-memory", Unit::Bytes, u64::MAX, DENY),
    def("zone.max-swap", Unit::Bytes, u64::MAX, DENY),
    def("zone.max-locked-memory", Unit::Bytes, u64::MAX, DENY),
    def("zone.max-shm-memory", Unit::Bytes, u64::MAX, DENY),
    def("zone.max-shm-ids", Unit::Count, IPC_IDS_MAX, DENY),
    def("zone.max-sem-ids", Unit::Count, IPC_IDS_MAX, DENY),
    def("zone.max-msg-ids", Unit::Count, IPC_IDS_MAX, DENY),
    def("zone.max-processes", Unit::Count, INT_MAX, EITHER),
    def("zone.max-lwps", Unit::Count, INT_MAX, EITHER),
    def("zone.zfs-io-priority", Unit::Count, 16384, NEVER),
    Def {
        infinite: true,
        ..def("zone.cpu-cap", Unit::Count, MAXCAP, DENY)
    },
    def("zone.cpu-shares", Unit::Count, FSS_MAXSHARES, NEVER),
];

pub fn lookup(name: &str) -> Option<&'static Def> {
    ZONE_RCTLS.iter().find(|d| d.name == name)
}

impl Def {
    /// The action of the system value, and of a value prctl creates without `-e`.
    pub fn system_action(&self) -> &'static str {
        if self.deny_never { "none" } else { "deny" }
    }

    pub fn new_value_action(&self) -> &'static str {
        if self.deny_always { "deny" } else { "none" }
    }

    pub fn system_flag(&self) -> &'static str {
        if self.infinite { "inf" } else { "max" }
    }
}

/// The privileged values a zone boots with: its configuration's (capped-memory physical is
/// zone.max-physical-memory), else the kernel's default (only zone.cpu-shares has one: 1),
/// lowest first as the kernel keeps them.
pub fn boot_values(cfg: Option<&ZoneConfig>, def: &Def) -> Vec<Value> {
    let mut values: Vec<Value> = match cfg {
        Some(cfg) if def.name == "zone.max-physical-memory" => cfg
            .physical_cap
            .map(|cap| Value {
                value: cap,
                action: "deny".into(),
            })
            .into_iter()
            .collect(),
        Some(cfg) => cfg
            .rctls
            .iter()
            .filter(|r| r.name == def.name)
            .flat_map(|r| &r.values)
            .filter(|v| v.privilege == "privileged")
            .filter_map(|v| {
                Some(Value {
                    value: v.limit.parse().ok()?,
                    action: v.action.clone(),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    if values.is_empty() && def.name == "zone.cpu-shares" {
        values.push(Value {
            value: 1,
            action: "none".into(),
        });
    }
    values.sort_by_key(|v| v.value);
    values
}

/// What the zone consumes now. Controls whose usage is their setting (shares, I/O
/// priority) report the value in force; the rest are steady figures for an idle zone.
pub fn usage(def: &Def, zone_id: u64, values: &[Value]) -> u64 {
    let global = zone_id == 0;
    let spread = |n: u64| zone_id.wrapping_mul(2_654_435_761) % n;
    match def.name {
        // A zone's I/O priority starts at 1 when no value sets it.
        "zone.cpu-shares" | "zone.zfs-io-priority" => values.first().map_or(1, |v| v.value),
        "zone.cpu-cap" => spread(7),
        // Matches the processes kstat's nproc counts: 64 in the global zone, 31 in others.
        "zone.max-processes" if global => 64,
        "zone.max-processes" => 31,
        "zone.max-lwps" if global => 612,
        "zone.max-lwps" => 140 + spread(60),
        "zone.max-swap" if global => 2_411_724_800,
        "zone.max-swap" => (280 << 20) + (spread(64) << 20),
        "zone.max-physical-memory" if global => 3_087_007_744,
        "zone.max-physical-memory" => (190 << 20) + (spread(48) << 20),
        _ => 0,
    }
}

/// prctl's `uint64toscaled(value, 4, "E", …)`: below one step of the scale the plain
/// integer, else the value divided by the largest step not above it, with as many decimals
/// as keep it to four characters ("2.15G", "65.5K", "16.0E", "1.00K").
pub fn scaled(value: u64, unit: Unit) -> String {
    let step: u64 = match unit {
        Unit::Bytes => 1024,
        Unit::Count => 1000,
    };
    if value < step {
        return value.to_string();
    }
    let mut index = 0;
    let mut scale = step;
    while index < 5 && value / scale >= step {
        scale *= step;
        index += 1;
    }
    let quotient = value as f64 / scale as f64;
    let mut decimals = 0;
    let mut width = format!("{quotient:.0}").len();
    while width < 4 {
        decimals += 1;
        width = format!("{quotient:.decimals$}").len();
        if width > 4 {
            decimals -= 1;
            break;
        }
    }
    format!(
        "{quotient:.decimals$}{}",
        ["K", "M", "G", "T", "P", "E"][index]
    )
}

/// The unit column beside a scaled value.
pub fn unit_suffix(unit: Unit) -> &'static str {
    match unit {
        Unit::Bytes => "B",
        Unit::Count => "",
    }
}

/// prctl's `scaledtouint64(…, SCALED_ALL_FLAGS)` for `-v`: `0x` hex, or a number (a
/// fraction only with a modifier) with an optional K M G T P E (either case, 1000s or
/// 1024s by the unit) and, for bytes, an optional `B`. No sign. None when invalid.
pub fn parse_value(text: &str, unit: Unit) -> Option<u64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if text.contains('-') {
        return None;
    }
    let number_len = float_prefix(text);
    if number_len == 0 {
        return None;
    }
    let rest = &text[number_len..];
    let step: f64 = match unit {
        Unit::Bytes => 1024.0,
        Unit::Count => 1000.0,
    };
    let modifier = rest
        .chars()
        .next()
        .and_then(|c| "KMGTPE".find(c.to_ascii_uppercase()));
    let (value, rest) = match modifier {
        Some(i) => {
            let number: f64 = text[..number_len].trim_start().parse().ok()?;
            let result = number * step.powi(i as i32 + 1);
            if result > u64::MAX as f64 {
                return None;
            }
            (result as u64, &rest[1..])
        }
        // Without a modifier the number must be an integer (strtoull, base 0).
        None => integer_prefix(text)?,
    };
    match (unit, rest) {
        (_, "") => Some(value),
        (Unit::Bytes, r) if r.eq_ignore_ascii_case("b") => Some(value),
        _ => None,
    }
}

/// The length of the longest prefix strtod/strtold would read (decimal forms only).
pub(crate) fn float_prefix(text: &str) -> usize {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    if i < b.len() && b[i] == b'+' {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - digits_start;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        digits += j - frac_start;
        if digits > 0 {
            i = j;
        }
    }
    if digits == 0 {
        return 0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && b[j] == b'+' {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    i
}

/// strtoull(text, &end, 0): the value and what follows it; None when nothing was read or
/// the number overflows.
fn integer_prefix(text: &str) -> Option<(u64, &str)> {
    let t = text.trim_start();
    let t = t.strip_prefix('+').unwrap_or(t);
    let (radix, body) = if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    let end = body
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(body.len());
    if end == 0 {
        // A lone "0" (or "0" before something that is not an octal digit).
        return t.starts_with('0').then_some((0, body));
    }
    let value = u64::from_str_radix(&body[..end], radix).ok()?;
    Some((value, &body[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_like_prctl() {
        assert_eq!(scaled(0, Unit::Count), "0");
        assert_eq!(scaled(999, Unit::Count), "999");
        assert_eq!(scaled(150, Unit::Count), "150");
        assert_eq!(scaled(2000, Unit::Count), "2.00K");
        assert_eq!(scaled(65535, Unit::Count), "65.5K");
        assert_eq!(scaled(i32::MAX as u64, Unit::Count), "2.15G");
        assert_eq!(scaled(u32::MAX as u64, Unit::Count), "4.29G");
        assert_eq!(scaled(1 << 24, Unit::Count), "16.8M");
        assert_eq!(scaled(u64::MAX, Unit::Count), "18.4E");
        assert_eq!(scaled(1023, Unit::Bytes), "1023");
        assert_eq!(scaled(1024, Unit::Bytes), "1.00K");
        assert_eq!(scaled(1 << 30, Unit::Bytes), "1.00G");
        assert_eq!(scaled(3 << 29, Unit::Bytes), "1.50G");
        assert_eq!(scaled(u64::MAX, Unit::Bytes), "16.0E");
        assert_eq!(scaled(512 << 20, Unit::Bytes), "512M");
    }

    #[test]
    fn parses_v_values() {
        assert_eq!(parse_value("150", Unit::Count), Some(150));
        assert_eq!(parse_value("2K", Unit::Count), Some(2000));
        assert_eq!(parse_value("1.5k", Unit::Count), Some(1500));
        assert_eq!(parse_value("0x10", Unit::Count), Some(16));
        assert_eq!(parse_value("010", Unit::Count), Some(8));
        assert_eq!(parse_value("0", Unit::Count), Some(0));
        assert_eq!(parse_value("2G", Unit::Bytes), Some(2 << 30));
        assert_eq!(parse_value("2gb", Unit::Bytes), Some(2 << 30));
        assert_eq!(parse_value("512MB", Unit::Bytes), Some(512 << 20));
        assert_eq!(parse_value("4096B", Unit::Bytes), Some(4096));
        for bad in [
            "",
            "abc",
            "-1",
            "1.5",
            "2X",
            "2KB",
            "1e3",
            "0x",
            "20000000000000000000",
        ] {
            assert_eq!(parse_value(bad, Unit::Count), None, "{bad}");
        }
        assert_eq!(parse_value("2KBB", Unit::Bytes), None);
        assert_eq!(parse_value("17E", Unit::Bytes), None);
    }

    #[test]
    fn boot_values_come_from_the_configuration() {
        let mut cfg = ZoneConfig::blank("web01");
        cfg.set_rctl("zone.max-lwps", "2000", "deny");
        cfg.physical_cap = Some(1 << 30);
        let lwps = lookup("zone.max-lwps").unwrap();
        assert_eq!(
            boot_values(Some(&cfg), lwps),
            [Value {
                value: 2000,
                action: "deny".into()
            }]
        );
        let phys = lookup("zone.max-physical-memory").unwrap();
        assert_eq!(boot_values(Some(&cfg), phys)[0].value, 1 << 30);
        let shares = lookup("zone.cpu-shares").unwrap();
        assert_eq!(boot_values(None, shares)[0].value, 1);
        assert_eq!(boot_values(None, lookup("zone.cpu-cap").unwrap()), []);
    }
}
