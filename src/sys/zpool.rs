//! zpool(8): `zpool list -Hp` and its parser.

use serde::Serialize;

use super::{Command, ParseError};

/// One line of [`list`].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Pool {
    pub name: String,
    /// Bytes.
    pub size: u64,
    pub alloc: u64,
    pub free: u64,
    /// Percent of free space that is fragmented; None when the pool cannot tell (`-`).
    pub frag: Option<u32>,
    /// Percent of the pool allocated.
    pub cap: u32,
    /// Deduplication ratio (1.00 = none); None for `-`.
    pub dedup: Option<f64>,
    /// ONLINE, DEGRADED, FAULTED, OFFLINE, UNAVAIL, REMOVED, SUSPENDED.
    pub health: String,
    /// None when unset (`-`).
    pub altroot: Option<String>,
}

impl Pool {
    /// Anything but ONLINE deserves the operator's attention.
    pub fn is_healthy(&self) -> bool {
        self.health == "ONLINE"
    }
}

/// The columns [`list`] asks for, in order.
pub const LIST_FIELDS: &str = "name,size,alloc,free,frag,cap,dedup,health,altroot";

/// `zpool list -Hp -o name,size,alloc,free,frag,cap,dedup,health,altroot`.
pub fn list() -> Command {
    Command::read("zpool").args(["list", "-Hp", "-o", LIST_FIELDS])
}

/// Parse the output of [`list`]. With `-p`, illumos prints sizes as exact integers, `frag`
/// and `cap` as plain percentages and `dedup` as `1.00`; older releases keep the `%` and
/// `x` suffixes even with `-p`, so those are accepted too.
pub fn parse_list(text: &str) -> Result<Vec<Pool>, ParseError> {
    const SOURCE: &str = "zpool list -Hp";
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let err = |msg: String| ParseError::new(SOURCE, i + 1, msg);
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 9 {
            return Err(err(format!(
                "expected 9 tab-separated fields ({LIST_FIELDS}), found {}",
                f.len()
            )));
        }
        let name = f[0];
        let bytes = |what: &str, s: &str| -> Result<u64, ParseError> {
            s.parse().map_err(|_| {
                err(format!(
                    "{what} '{s}' of pool '{name}' is not a number of bytes"
                ))
            })
        };
        let percent = |what: &str, s: &str| -> Result<u32, ParseError> {
            s.strip_suffix('%')
                .unwrap_or(s)
                .parse()
                .map_err(|_| err(format!("{what} '{s}' of pool '{name}' is not a percentage")))
        };
        let frag = match f[4] {
            "-" => None,
            s => Some(percent("frag", s)?),
        };
        let dedup = match f[6] {
            "-" => None,
            s => Some(
                s.strip_suffix('x')
                    .unwrap_or(s)
                    .parse::<f64>()
                    .map_err(|_| {
                        err(format!(
                            "dedup ratio '{s}' of pool '{name}' is not a number"
                        ))
                    })?,
            ),
        };
        if f[7].is_empty() {
            return Err(err(format!("pool '{name}' has an empty health field")));
        }
        out.push(Pool {
            name: name.to_string(),
            size: bytes("size", f[1])?,
            alloc: bytes("alloc", f[2])?,
            free: bytes("free", f[3])?,
            frag,
            cap: percent("cap", f[5])?,
            dedup,
            health: f[7].to_string(),
            altroot: (f[8] != "-" && !f[8].is_empty()).then(|| f[8].to_string()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_literal_and_suffixed_forms() {
        let text = "rpool\t996432412672\t284575055872\t711857356800\t23\t28\t1.00\tONLINE\t-\n\
tank\t1000\t0\t1000\t-\t0%\t1.52x\tDEGRADED\t/a\n";
        let p = parse_list(text).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].size, 996432412672);
        assert_eq!(p[0].frag, Some(23));
        assert_eq!(p[0].cap, 28);
        assert_eq!(p[0].dedup, Some(1.0));
        assert_eq!(p[0].altroot, None);
        assert!(p[0].is_healthy());
        assert_eq!(p[1].frag, None);
        assert_eq!(p[1].cap, 0);
        assert_eq!(p[1].dedup, Some(1.52));
        assert_eq!(p[1].altroot.as_deref(), Some("/a"));
        assert!(!p[1].is_healthy());
    }

    #[test]
    fn rejects_malformed_lines() {
        let e = parse_list("rpool\t1\t2\n").unwrap_err();
        assert!(e.message.contains("found 3"), "{e}");
        let e = parse_list("rpool\t1G\t0\t0\t-\t0\t1.00\tONLINE\t-\n").unwrap_err();
        assert!(e.message.contains("size '1G'"), "{e}");
        let e =
            parse_list("a\t1\t0\t1\t-\t0\t1.00\tONLINE\t-\nb\t1\t0\t1\tlots\t0\t1.00\tONLINE\t-\n")
                .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("frag 'lots'"), "{e}");
    }

    #[test]
    fn builder() {
        assert_eq!(
            list().argv(),
            [
                "zpool",
                "list",
                "-Hp",
                "-o",
                "name,size,alloc,free,frag,cap,dedup,health,altroot"
            ]
        );
    }
}
