//! `ipnat -l`: the rules the kernel holds and its active translation sessions.
//!
//! ```text
//! List of active MAP/Redirect filters:
//! map igb0 10.190.190.0/24 -> 0.0.0.0/32 portmap tcp/udp auto
//!
//! List of active sessions:
//! MAP 10.190.190.10   35112 <- -> 192.168.1.10    35112 [8.8.8.8 53]
//! ```

use serde::Serialize;

use super::super::ParseError;
use super::{NatKind, conf};

pub const RULES_HEADER: &str = "List of active MAP/Redirect filters:";
pub const SESSIONS_HEADER: &str = "List of active sessions:";
/// `-v` adds this section; its lines are kept as sessions' raw text is.
pub const HOSTMAP_HEADER: &str = "List of active host mappings:";

/// A rule the kernel holds, as printed (addresses normalised: `0/32` reads `0.0.0.0/32`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActiveRule {
    pub rule: String,
    #[serde(rename = "type")]
    pub kind: NatKind,
    pub interface: String,
}

/// One translation in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// `MAP`, `RDR`, `BIMAP`, `MAP-BLOCK` …
    pub kind: String,
    pub line: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct NatList {
    pub rules: Vec<ActiveRule>,
    pub sessions: Vec<Session>,
    pub host_mappings: Vec<String>,
}

/// Format the output of `ipnat -l` for rule lines as printnat prints them.
pub fn format_list(rules: &[String], sessions: &[String]) -> String {
    let mut out = format!("{RULES_HEADER}\n");
    for r in rules {
        out.push_str(r);
        out.push('\n');
    }
    out.push_str(&format!("\n{SESSIONS_HEADER}\n"));
    for s in sessions {
        out.push_str(s);
        out.push('\n');
    }
    out
}

pub fn parse_list(text: &str) -> Result<NatList, ParseError> {
    const SRC: &str = "ipnat -l";
    #[derive(PartialEq)]
    enum Section {
        Start,
        Rules,
        Sessions,
        HostMaps,
    }
    let mut section = Section::Start;
    let mut list = NatList::default();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        match trimmed {
            RULES_HEADER => {
                section = Section::Rules;
                continue;
            }
            SESSIONS_HEADER => {
                section = Section::Sessions;
                continue;
            }
            HOSTMAP_HEADER => {
                section = Section::HostMaps;
                continue;
            }
            "" => continue,
            _ => {}
        }
        match section {
            Section::Start => {
                return Err(ParseError::new(
                    SRC,
                    i + 1,
                    format!("expected {RULES_HEADER:?}, got {line:?}"),
                ));
            }
            Section::Rules => {
                // `-h` puts a hit count before each rule.
                let rule = match trimmed.split_once(' ') {
                    Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
                    _ => trimmed,
                };
                let (kind, interface, _) = conf::rule_fields(rule)
                    .map_err(|m| ParseError::new(SRC, i + 1, format!("{m} in rule {rule:?}")))?;
                list.rules.push(ActiveRule {
                    rule: rule.to_string(),
                    kind,
                    interface,
                });
            }
            Section::Sessions => {
                let kind = trimmed.split_whitespace().next().unwrap_or_default();
                if !kind.chars().all(|c| c.is_ascii_uppercase() || c == '-') {
                    return Err(ParseError::new(
                        SRC,
                        i + 1,
                        format!("session line does not start with its kind: {line:?}"),
                    ));
                }
                list.sessions.push(Session {
                    kind: kind.to_string(),
                    line: trimmed.to_string(),
                });
            }
            Section::HostMaps => list.host_mappings.push(trimmed.to_string()),
        }
    }
    if section == Section::Start {
        return Err(ParseError::new(
            SRC,
            0,
            format!("no {RULES_HEADER:?} header"),
        ));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_and_sessions() {
        let text = "List of active MAP/Redirect filters:\n\
                    map igb0 10.190.190.0/24 -> 0.0.0.0/32 portmap tcp/udp auto\n\
                    rdr igb0 192.168.1.10/32 port 8080 -> 10.190.190.10 port 80 tcp\n\
                    \n\
                    List of active sessions:\n\
                    MAP 10.190.190.10   35112 <- -> 192.168.1.10    35112 [8.8.8.8 53]\n\
                    RDR 10.190.190.10   80    <- -> 192.168.1.10    8080  [203.0.113.9 51000]\n";
        let l = parse_list(text).unwrap();
        assert_eq!(l.rules.len(), 2);
        assert_eq!(l.rules[0].kind, NatKind::Map);
        assert_eq!(l.rules[1].kind, NatKind::Rdr);
        assert_eq!(l.rules[1].interface, "igb0");
        assert_eq!(l.sessions.len(), 2);
        assert_eq!(l.sessions[1].kind, "RDR");
    }

    #[test]
    fn empty_tables_and_round_trip() {
        let text = format_list(&[], &[]);
        assert_eq!(
            text,
            "List of active MAP/Redirect filters:\n\nList of active sessions:\n"
        );
        assert_eq!(parse_list(&text).unwrap(), NatList::default());
        let rules = vec!["bimap igb0 10.0.0.1/32 -> 1.2.3.4/32".to_string()];
        assert_eq!(
            parse_list(&format_list(&rules, &[])).unwrap().rules[0].rule,
            rules[0]
        );
    }

    #[test]
    fn rejects_unknown_text() {
        assert!(parse_list("ioctl(SIOCGNATS): I/O error\n").is_err());
        let e = parse_list("List of active MAP/Redirect filters:\nfilter igb0 x\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_list("").is_err());
    }
}
