//! uname(1): the node name, kernel release and kernel version in one spawn.
//!
//! uname prints the fields it was asked for in a fixed order (sysname, nodename, release,
//! version, machine …) whatever the order of the options, each after one space, on one line.
//! A node name and a release never hold a space; a version normally does not either, but
//! everything after the release is taken as the version in case a build string has one.

use serde::Serialize;

use super::{Command, ParseError};

/// `uname -nrv`.
pub fn node_release_version() -> Command {
    Command::read("uname").arg("-nrv")
}

/// What [`node_release_version`] prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uname {
    /// `uname -n`, e.g. `hv-01`.
    pub nodename: String,
    /// `uname -r`, e.g. `5.11`.
    pub release: String,
    /// `uname -v`, e.g. `omnios-r151054-b0fca7aa1c`.
    pub version: String,
}

/// Parse the output of [`node_release_version`].
pub fn parse_nrv(text: &str) -> Result<Uname, ParseError> {
    const SOURCE: &str = "uname -nrv";
    let mut lines = text
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((i, line)) = lines.next() else {
        return Err(ParseError::new(SOURCE, 0, "no output"));
    };
    if let Some((j, _)) = lines.next() {
        return Err(ParseError::new(
            SOURCE,
            j + 1,
            "more than one line (uname prints one)",
        ));
    }
    let mut fields = line.splitn(3, ' ');
    match (
        fields.next(),
        fields.next(),
        fields.next().map(str::trim_end),
    ) {
        (Some(n), Some(r), Some(v)) if !n.is_empty() && !r.is_empty() && !v.is_empty() => {
            Ok(Uname {
                nodename: n.to_string(),
                release: r.to_string(),
                version: v.to_string(),
            })
        }
        _ => Err(ParseError::new(
            SOURCE,
            i + 1,
            format!("expected 'nodename release version', found {line:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv() {
        assert_eq!(node_release_version().argv(), ["uname", "-nrv"]);
    }

    #[test]
    fn parses_one_line() {
        let u = parse_nrv("hv-01 5.11 omnios-r151054-b0fca7aa1c\n").unwrap();
        assert_eq!(
            u,
            Uname {
                nodename: "hv-01".into(),
                release: "5.11".into(),
                version: "omnios-r151054-b0fca7aa1c".into(),
            }
        );
        // A build string with a space stays whole.
        let u = parse_nrv("a.example.com 5.11 illumos build 7\n").unwrap();
        assert_eq!(u.nodename, "a.example.com");
        assert_eq!(u.version, "illumos build 7");
    }

    #[test]
    fn rejects_other_shapes() {
        assert_eq!(parse_nrv("").unwrap_err().line, 0);
        let e = parse_nrv("SunOS\n").unwrap_err();
        assert!(e.message.contains("nodename release version"), "{e}");
        // A version that uname printed as empty leaves a trailing space only.
        assert!(parse_nrv("hv-01 5.11 \n").is_err());
        let e = parse_nrv("hv-01 5.11 v\nhv-02 5.11 v\n").unwrap_err();
        assert_eq!(e.line, 2);
    }
}
