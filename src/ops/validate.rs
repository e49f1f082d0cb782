//! Field validation for zone specs: the wizards and `zcon zone create --spec` check every
//! value where it is typed, before a plan is built. Each validator returns what the value
//! means (bytes, a CPU count, an address) or `()`, and on error one sentence that says what is
//! wrong and what would be right. Callers prefix the field name; messages never start with it.
//!
//! Values are rejected, never repaired: a name or path with a space, a quote or a shell
//! metacharacter gets a message naming that character. Validators that return `()` check the
//! text exactly as given (the caller writes it verbatim into zonecfg or argv); those that
//! return a parsed value accept blanks around it.

mod bhyve;
mod net;
mod ssh;

pub use bhyve::{bhyve_attr, bhyve_choices};
pub use net::{allowed_address, cidr, ip, link_name, mac, resolvers, vlan};
pub use ssh::ssh_key;

use crate::sys::size::{format_size, parse_size};
use crate::sys::zfs::{NameKind, validate_name};

/// The least memory a bhyve VM is given here; guests below it rarely boot an installer.
pub const MIN_RAM: u64 = 128 << 20;

/// The most vCPUs one bhyve VM may have: illumos vmm's VM_MAXCPU, 64 since illumos raised
/// it from 32 (uts/intel/sys/vmm.h); bhyve refuses a larger `-c`.
pub const MAX_VCPUS: u32 = 64;

/// A zone name: illumos' rules (see [`crate::sys::zonename::validate`]) and not one of
/// `existing`.
pub fn zone_name(name: &str, existing: &[&str]) -> Result<(), String> {
    crate::sys::zonename::validate(name)?;
    if existing.contains(&name) {
        return Err(format!(
            "a zone named '{name}' already exists: choose another name"
        ));
    }
    Ok(())
}

/// A size as ZFS takes it ("512M", "2G", "1.5T", plain bytes), more than zero.
pub fn size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no size given: use a number with K, M, G or T (512M, 2G, 1T)".into());
    }
    match parse_size(t) {
        Ok(0) => Err(format!(
            "'{}' is zero: a size must be more than 0, e.g. 512M or 2G",
            shown(t)
        )),
        Ok(n) => Ok(n),
        Err(e) if e.contains("too large") => {
            Err(format!("'{}' is too large: sizes end below 16E", shown(t)))
        }
        Err(_) => Err(format!(
            "'{}' is not a size: use a number with K, M, G or T (512M, 2G, 1T)",
            shown(t)
        )),
    }
}

/// `size` bytes fit in `avail` bytes of `what` (a pool or dataset name).
pub fn fits(size: u64, avail: u64, what: &str) -> Result<(), String> {
    if size <= avail {
        return Ok(());
    }
    Err(format!(
        "{} does not fit: {what} has {} available",
        format_size(size),
        format_size(avail)
    ))
}

/// A bhyve `ram` value, in bytes: a whole number with one unit letter (B, K, M, G, T, P, E,
/// either case), as the brand's boot script parses it; at least [`MIN_RAM`].
///
/// Like bhyve's vm_parse_memsize(), a bare number below 1048576 counts in MiB ("2048" is
/// 2G) and a larger one in bytes. The brand rejects fractions ("1.5G") and two-letter units
/// ("2GB"), so they are rejected here with the whole-number spelling to use instead.
pub fn ram(text: &str) -> Result<u64, String> {
    const HINT: &str = "use a whole number with M or G, e.g. 512M or 4G";
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("no amount given: {HINT}"));
    }
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    if digits.is_empty() {
        return Err(format!("'{}' is not an amount of memory: {HINT}", shown(t)));
    }
    if unit.starts_with('.') {
        let hint = match parse_size(t) {
            Ok(bytes) if bytes.is_multiple_of(1 << 20) && bytes > 0 => {
                format!("write it as {}M", bytes >> 20)
            }
            _ => HINT.to_string(),
        };
        return Err(format!(
            "'{}' is not a whole number, which the bhyve brand needs: {hint}",
            shown(t)
        ));
    }
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" => None,
        "b" => Some(0),
        "k" => Some(10),
        "m" => Some(20),
        "g" => Some(30),
        "t" => Some(40),
        "p" => Some(50),
        "e" => Some(60),
        "kb" | "mb" | "gb" | "tb" | "pb" | "eb" => {
            return Err(format!(
                "'{}' has a two-letter unit, which the bhyve brand does not read: write {digits}{}",
                shown(t),
                &unit[..1]
            ));
        }
        _ => {
            return Err(format!(
                "'{}' has an unknown unit '{}': {HINT}",
                shown(t),
                shown(unit)
            ));
        }
    };
    let too_large = || format!("'{}' is more memory than can be addressed", shown(t));
    let n: u64 = digits.parse().map_err(|_| too_large())?;
    let bytes = match shift {
        // bhyve's quirk: small bare numbers are MiB, large ones bytes.
        None if n < 1 << 20 => n << 20,
        None => n,
        Some(s) => n.checked_mul(1 << s).ok_or_else(too_large)?,
    };
    if bytes < MIN_RAM {
        let meaning = match shift {
            None if n < 1 << 20 => format!(" (a bare number counts in MiB, so {n}M)"),
            None => " (a bare number from 1048576 up counts in bytes)".to_string(),
            _ => String::new(),
        };
        return Err(format!(
            "'{}'{meaning} is too little: a bhyve VM needs at least 128M",
            shown(t)
        ));
    }
    Ok(bytes)
}

/// A bhyve `vcpus` value, `[cpus=]n[,sockets=n][,cores=n][,threads=n]`; returns the number
/// of vCPUs (1 to [`MAX_VCPUS`]).
///
/// bhyve's topology rules (bhyverun.c calc_topology): with the CPU count given, sockets
/// defaults to that count and cores and threads to 1, and sockets × cores × threads must
/// equal it, so `4,cores=2` fails (4 sockets × 2 cores); without it the count is the product.
pub fn vcpus(text: &str) -> Result<u32, String> {
    const SYNTAX: &str = "use a number such as 2, or cpus=n,sockets=n,cores=n,threads=n";
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("no CPU count given: {SYNTAX}"));
    }
    const KEYS: [&str; 4] = ["cpus", "sockets", "cores", "threads"];
    let mut given: [Option<u64>; 4] = [None; 4];
    for item in t.split(',') {
        let (slot, value) = match item.split_once('=') {
            None => (0, item),
            Some((key, value)) => match KEYS.iter().position(|k| *k == key) {
                Some(slot) => (slot, value),
                None => {
                    return Err(format!("'{}' is not a CPU setting: {SYNTAX}", shown(item)));
                }
            },
        };
        if item.is_empty() {
            return Err(format!(
                "'{}' has an empty item between commas: {SYNTAX}",
                shown(t)
            ));
        }
        if !value.bytes().all(|b| b.is_ascii_digit()) || value.is_empty() {
            return Err(format!(
                "'{}' is not a whole number of {}: {SYNTAX}",
                shown(value),
                KEYS[slot]
            ));
        }
        let Ok(n) = value.parse::<u64>() else {
            return Err(format!(
                "{}={} is more than bhyve allows: a VM has at most {MAX_VCPUS} CPUs",
                KEYS[slot],
                shown(value)
            ));
        };
        if n == 0 {
            return Err(format!(
                "{} cannot be 0: each count is at least 1",
                KEYS[slot]
            ));
        }
        if given[slot].replace(n).is_some() {
            return Err(format!(
                "'{}' gives {} twice: give it once",
                shown(t),
                KEYS[slot]
            ));
        }
    }
    let [cpus, sockets, cores, threads] = given;
    let (c, th) = (cores.unwrap_or(1), threads.unwrap_or(1));
    let s = sockets.unwrap_or(cpus.unwrap_or(1));
    let product = s.saturating_mul(c).saturating_mul(th);
    if let Some(n) = cpus
        && product != n
    {
        let default = if sockets.is_none() {
            format!(" (sockets is not given, so bhyve takes the CPU count, {n})")
        } else {
            String::new()
        };
        let per_socket = c.saturating_mul(th);
        let fix = if sockets.is_none() && n % per_socket == 0 {
            format!("add sockets={}", n / per_socket)
        } else {
            "make sockets × cores × threads equal the CPU count".to_string()
        };
        return Err(format!(
            "{} × {} × {} make {product} CPUs, not {n}{default}: {fix}",
            count(s, "socket"),
            count(c, "core"),
            count(th, "thread"),
        ));
    }
    let n = cpus.unwrap_or(product);
    if n > u64::from(MAX_VCPUS) {
        return Err(format!(
            "{n} CPUs is more than bhyve allows: a VM has at most {MAX_VCPUS}"
        ));
    }
    Ok(n as u32)
}

/// A ZFS filesystem or volume name (`pool/a/b`): zfs_namecheck's rules (components of
/// letters, digits and `_ - : .`, at most 255 characters, no snapshot `@` or bookmark `#`),
/// no `.` or `..` component, and a pool name zpool would accept.
pub fn dataset_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("no dataset given: use pool/name, e.g. rpool/zones/web01".into());
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '@' | '#')) {
        let what = if c == '@' { "a snapshot" } else { "a bookmark" };
        return Err(format!(
            "'{}' contains '{c}', which names {what}: give a filesystem or volume, e.g. rpool/zones/web01",
            shown(name)
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!(
            "'{}' contains {}: use letters, digits and _ - : . between '/'",
            shown(name),
            char_name(c)
        ));
    }
    validate_name(name, NameKind::Dataset)?;
    if let Some(dots) = name.split('/').find(|c| *c == "." || *c == "..") {
        return Err(format!(
            "'{name}' has a '{dots}' component: name each level, e.g. rpool/zones/web01"
        ));
    }
    let pool = name.split('/').next().unwrap_or_default();
    if matches!(pool, "mirror" | "raidz" | "draid" | "spare" | "log") {
        return Err(format!(
            "'{pool}' is reserved by zpool and cannot be a pool name: use the pool's real name, e.g. rpool"
        ));
    }
    let b = pool.as_bytes();
    if b[0] == b'c' && b.get(1).is_some_and(u8::is_ascii_digit) {
        return Err(format!(
            "'{pool}' looks like a disk (c0t0d0…), which zpool does not allow as a pool name: use the pool's name, e.g. rpool"
        ));
    }
    Ok(())
}

/// A DNS domain for the guest's search list: RFC 1035 labels of letters, digits and `-`
/// (not at either end), 1 to 63 characters each, at most 253 in all, no final dot.
pub fn dns_domain(text: &str) -> Result<(), String> {
    const HINT: &str = "type a name such as example.com";
    if text.is_empty() {
        return Err(format!("no domain given: {HINT}"));
    }
    if let Some(c) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Err(format!(
            "'{}' contains {}: use letters, digits and '-' between dots, e.g. example.com",
            shown(text),
            char_name(c)
        ));
    }
    if text.len() > 253 {
        return Err(format!(
            "the domain is {} characters long: DNS allows at most 253",
            text.len()
        ));
    }
    if text.ends_with('.') && text.len() > 1 {
        return Err(format!(
            "'{text}' ends with '.': leave out the final dot, e.g. {}",
            text.trim_end_matches('.')
        ));
    }
    for label in text.split('.') {
        if label.is_empty() {
            return Err(format!(
                "'{text}' has an empty label (a leading '.' or '..'): {HINT}"
            ));
        }
        if label.len() > 63 {
            return Err(format!(
                "the label '{label}' is {} characters long: DNS allows at most 63 between dots",
                label.len()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "the label '{label}' begins or ends with '-': a label starts and ends with a letter or digit"
            ));
        }
    }
    if text
        .rsplit('.')
        .next()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "'{text}' looks like an address, not a domain: {HINT}"
        ));
    }
    Ok(())
}

/// "1 core", "2 cores".
fn count(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `text` as an error message quotes it: control characters escaped, long input cut short.
fn shown(text: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for c in text.chars() {
        if out.chars().count() >= MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// How a message names a character the operator may not see.
fn char_name(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("'{c}'"),
    }
}

/// The text itself, when it has no blanks around it: a value written verbatim into zonecfg
/// or argv must not carry them.
fn verbatim(text: &str) -> Result<&str, String> {
    if text.trim() != text {
        return Err(format!(
            "'{}' has blanks around it: remove them",
            shown(text)
        ));
    }
    Ok(text)
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
