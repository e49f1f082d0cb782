//! kstat(8): kernel statistics, read in the parseable form `kstat -p`.
//!
//! `-p` prints one statistic a line: `module:instance:name:statistic`, a TAB, the value.
//! Nothing in the key is escaped (kstat.c prints it with `%s:%d:%s:%s`); module names never
//! hold a colon and the instance is a number, so the first two colons are unambiguous.
//! Statistic names are fixed identifiers in the kernel while kstat names are sometimes
//! built at run time, so a key with more than three colons is split at the last one.
//!
//! The kstats zcon reads: `unix:0:system_misc:boot_time` (the host's boot) and
//! `zones:ZONEID:ZONENAME:boot_time` (class `zone_misc`, one per zone in the kernel).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Command, ParseError};

/// The kernel's boot time (seconds since the epoch).
pub const BOOT_TIME: &str = "unix:0:system_misc:boot_time";

/// `kstat -p unix:0:system_misc:boot_time`.
pub fn boot_time() -> Command {
    Command::read("kstat").args(["-p", BOOT_TIME])
}

/// `kstat -p zones:::boot_time zones:::zonename`: every zone in the kernel (the global zone
/// as instance 0) with its boot time. The kstat name is the zone name cut to 30 characters
/// (KSTAT_STRLEN), so the full name comes from the `zonename` statistic; the instance (the
/// zone id) ties the two lines together.
pub fn zone_boot_times() -> Command {
    Command::read("kstat").args(["-p", "zones:::boot_time", "zones:::zonename"])
}

/// One line of `kstat -p`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stat {
    pub module: String,
    pub instance: i32,
    pub name: String,
    pub statistic: String,
    /// As printed: integers in decimal, hrtimes as seconds with 9 decimals (`0` when zero),
    /// strings verbatim (possibly empty).
    pub value: String,
}

impl Stat {
    /// `module:instance:name:statistic`.
    pub fn key(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.module, self.instance, self.name, self.statistic
        )
    }
}

const SOURCE: &str = "kstat -p";

/// Parse the output of `kstat -p [selector …]`.
pub fn parse_p(text: &str) -> Result<Vec<Stat>, ParseError> {
    Ok(numbered(text)?.into_iter().map(|(_, s)| s).collect())
}

/// The boot time from the output of [`boot_time`] (other statistics are ignored).
pub fn parse_boot_time(text: &str) -> Result<i64, ParseError> {
    let (line, stat) = numbered(text)?
        .into_iter()
        .find(|(_, s)| s.key() == BOOT_TIME)
        .ok_or_else(|| ParseError::new(SOURCE, 0, format!("no {BOOT_TIME} in the output")))?;
    stat.value.parse::<i64>().map_err(|_| {
        ParseError::new(
            SOURCE,
            line,
            format!("{BOOT_TIME} {:?} is not a number of seconds", stat.value),
        )
    })
}

/// Zone name → boot time (unix seconds) from the output of [`zone_boot_times`]. A zone
/// that is only `ready` has not booted: its boot time is 0. Without a `zonename` line the
/// kstat name stands for the zone name.
pub fn parse_zone_boot_times(text: &str) -> Result<BTreeMap<String, i64>, ParseError> {
    /// What the lines of one zone id said.
    #[derive(Default)]
    struct Seen {
        kstat_name: String,
        zonename: Option<String>,
        /// The boot time and its line.
        boot: Option<(usize, i64)>,
    }
    let mut zones: BTreeMap<i32, Seen> = BTreeMap::new();
    for (line, stat) in numbered(text)? {
        if stat.module != "zones" {
            let msg = format!("{} is not a zones kstat", stat.key());
            return Err(ParseError::new(SOURCE, line, msg));
        }
        let seen = zones.entry(stat.instance).or_insert_with(|| Seen {
            kstat_name: stat.name.clone(),
            ..Seen::default()
        });
        match stat.statistic.as_str() {
            "zonename" => seen.zonename = Some(stat.value),
            "boot_time" => {
                let secs = stat.value.parse::<i64>().map_err(|_| {
                    let msg = format!(
                        "boot_time {:?} of zone id {} is not a number of seconds",
                        stat.value, stat.instance
                    );
                    ParseError::new(SOURCE, line, msg)
                })?;
                seen.boot = Some((line, secs));
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for (id, seen) in zones {
        let name = seen.zonename.unwrap_or(seen.kstat_name);
        let Some((line, secs)) = seen.boot else {
            let msg = format!("zone {name} (id {id}) has no boot_time");
            return Err(ParseError::new(SOURCE, 0, msg));
        };
        if out.insert(name.clone(), secs).is_some() {
            let msg = format!("zone {name} appears twice (ids differ)");
            return Err(ParseError::new(SOURCE, line, msg));
        }
    }
    Ok(out)
}

/// The statistics with their 1-based line numbers.
fn numbered(text: &str) -> Result<Vec<(usize, Stat)>, ParseError> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let err = |msg: String| ParseError::new(SOURCE, i + 1, msg);
        let Some((key, value)) = line.split_once('\t') else {
            return Err(err(format!(
                "expected 'module:instance:name:statistic<TAB>value', found {line:?}"
            )));
        };
        let not_a_key = || err(format!("key {key:?} is not module:instance:name:statistic"));
        let mut head = key.splitn(3, ':');
        let (Some(module), Some(instance), Some(rest)) = (head.next(), head.next(), head.next())
        else {
            return Err(not_a_key());
        };
        let (name, statistic) = rest.rsplit_once(':').ok_or_else(not_a_key)?;
        if module.is_empty() || statistic.is_empty() {
            return Err(err(format!("key {key:?} has an empty module or statistic")));
        }
        let instance = instance
            .parse::<i32>()
            .map_err(|_| err(format!("instance {instance:?} of {key:?} is not a number")))?;
        out.push((
            i + 1,
            Stat {
                module: module.to_string(),
                instance,
                name: name.to_string(),
                statistic: statistic.to_string(),
                value: value.to_string(),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `kstat -p unix:0:system_misc:` on an OmniOS host (sorted case-insensitively by
    /// statistic, hrtimes with 9 decimals, `class` added by -p).
    const SYSTEM_MISC: &str = "unix:0:system_misc:avenrun_15min\t98
unix:0:system_misc:avenrun_1min\t121
unix:0:system_misc:avenrun_5min\t104
unix:0:system_misc:boot_time\t1748269213
unix:0:system_misc:class\tmisc
unix:0:system_misc:clk_intr\t321155846
unix:0:system_misc:crtime\t0
unix:0:system_misc:deficit\t0
unix:0:system_misc:lbolt\t321155846
unix:0:system_misc:ncpus\t16
unix:0:system_misc:nproc\t412
unix:0:system_misc:snaptime\t3211558.461290736
unix:0:system_misc:vac\t0
";

    #[test]
    fn argv() {
        assert_eq!(
            boot_time().argv(),
            ["kstat", "-p", "unix:0:system_misc:boot_time"]
        );
        assert!(!boot_time().privileged);
    }

    #[test]
    fn parses_every_statistic() {
        let stats = parse_p(SYSTEM_MISC).unwrap();
        assert_eq!(stats.len(), 13);
        assert_eq!(
            stats[11],
            Stat {
                module: "unix".into(),
                instance: 0,
                name: "system_misc".into(),
                statistic: "snaptime".into(),
                value: "3211558.461290736".into(),
            }
        );
        assert_eq!(stats[3].key(), BOOT_TIME);
        assert_eq!(parse_boot_time(SYSTEM_MISC), Ok(1748269213));
        assert_eq!(
            parse_boot_time("unix:0:system_misc:boot_time\t1748269213\n"),
            Ok(1748269213)
        );
    }

    #[test]
    fn odd_but_valid_lines() {
        // An empty string value, a value with a tab, a kstat name with a colon, a
        // negative instance (KSTAT instances are ints).
        let text = "sd:3:sd3,err:Product\t\n\
                    mod:0:a:b:stat\tx\ty\n\
                    m:-1:n:s\t5\n";
        let stats = parse_p(text).unwrap();
        assert_eq!(stats[0].value, "");
        assert_eq!(stats[0].name, "sd3,err");
        assert_eq!(
            (stats[1].name.as_str(), stats[1].statistic.as_str()),
            ("a:b", "stat")
        );
        assert_eq!(stats[1].value, "x\ty");
        assert_eq!(stats[2].instance, -1);
        assert_eq!(parse_p("").unwrap(), []);
    }

    #[test]
    fn rejects_what_is_not_kstat_p() {
        let e = parse_p("unix:0:system_misc:boot_time 1748269213\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("<TAB>"), "{e}");
        let e = parse_p("ok:0:n:s\t1\nunix:x:system_misc:boot_time\t1\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("instance \"x\""), "{e}");
        let e = parse_p("unix:0:boot_time\t1\n").unwrap_err();
        assert!(
            e.message.contains("not module:instance:name:statistic"),
            "{e}"
        );
        let e = parse_p("unix:0:system_misc:\t1\n").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }

    /// `kstat -p zones:::boot_time zones:::zonename`: each selector's lines in turn, the
    /// kstats sorted by instance; a ready zone (id 9) has not booted; the 40-character zone
    /// name is cut to 30 in the kstat name.
    const ZONES: &str = "zones:0:global:boot_time\t1748269213
zones:3:web01:boot_time\t1748270002
zones:9:db01:boot_time\t0
zones:14:build-runner-0001.example.inte:boot_time\t1748355410
zones:0:global:zonename\tglobal
zones:3:web01:zonename\tweb01
zones:9:db01:zonename\tdb01
zones:14:build-runner-0001.example.inte:zonename\tbuild-runner-0001.example.internal
";

    #[test]
    fn zone_boot_times_by_full_name() {
        let cmd = zone_boot_times();
        assert_eq!(
            cmd.argv(),
            ["kstat", "-p", "zones:::boot_time", "zones:::zonename"]
        );
        assert!(!cmd.privileged);
        let times = parse_zone_boot_times(ZONES).unwrap();
        assert_eq!(times.len(), 4);
        assert_eq!(times["global"], 1748269213);
        assert_eq!(times["web01"], 1748270002);
        assert_eq!(times["db01"], 0);
        assert_eq!(times["build-runner-0001.example.internal"], 1748355410);
        // Without the zonename lines the kstat names stand in.
        let only_boot: String = ZONES.lines().take(2).map(|l| format!("{l}\n")).collect();
        let times = parse_zone_boot_times(&only_boot).unwrap();
        assert_eq!(times.keys().collect::<Vec<_>>(), ["global", "web01"]);
        assert_eq!(parse_zone_boot_times("").unwrap(), BTreeMap::new());
    }

    #[test]
    fn zone_boot_times_reject_what_they_cannot_use() {
        let e = parse_zone_boot_times("zones:3:web01:boot_time\tsoon\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("\"soon\" of zone id 3"), "{e}");
        let e = parse_zone_boot_times("zones:3:web01:zonename\tweb01\n").unwrap_err();
        assert!(e.message.contains("web01 (id 3) has no boot_time"), "{e}");
        let e = parse_zone_boot_times(&format!("{ZONES}unix:0:system_misc:boot_time\t1\n"))
            .unwrap_err();
        assert_eq!(e.line, 9);
        assert!(e.message.contains("not a zones kstat"), "{e}");
    }

    #[test]
    fn boot_time_must_be_there_and_numeric() {
        let e = parse_boot_time("unix:0:system_misc:ncpus\t16\n").unwrap_err();
        assert_eq!(e.line, 0);
        assert!(e.message.contains("no unix:0:system_misc:boot_time"), "{e}");
        let e =
            parse_boot_time("unix:0:system_misc:ncpus\t16\n\nunix:0:system_misc:boot_time\t1.5\n")
                .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("\"1.5\" is not a number"), "{e}");
        assert!(parse_boot_time("").is_err());
    }
}
