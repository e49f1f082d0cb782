//! kstat(8): kernel statistics, read in the parseable form `kstat -p`.
//!
//! `-p` prints one statistic a line: `module:instance:name:statistic`, a TAB, the value.
//! Nothing in the key is escaped (kstat.c prints it with `%s:%d:%s:%s`); module names never
//! hold a colon and the instance is a number, so the first two colons are unambiguous.
//! Statistic names are fixed identifiers in the kernel while kstat names are sometimes
//! built at run time, so a key with more than three colons is split at the last one.

use serde::Serialize;

use super::{Command, ParseError};

/// The kernel's boot time (seconds since the epoch).
pub const BOOT_TIME: &str = "unix:0:system_misc:boot_time";

/// `kstat -p unix:0:system_misc:boot_time`.
pub fn boot_time() -> Command {
    Command::read("kstat").args(["-p", BOOT_TIME])
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
