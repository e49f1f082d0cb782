//! `/etc/ipf/ipnat.conf`: read it into rules while keeping every other line (comments,
//! blank lines, variable assignments) verbatim, add and remove rules, write it back.

use serde::Serialize;

use super::super::ParseError;
use super::grammar::{SyntaxError, parse_rule};
use super::print::printnat;
use super::{NatKind, NatRule};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    /// A rule line: its full text and the rule without any trailing comment.
    Rule {
        raw: String,
        rule: String,
    },
    Other(String),
}

/// The file, line by line; `render` gives back the same text when nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IpnatConf {
    lines: Vec<Line>,
    /// The text ended without a final newline.
    no_final_newline: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum NatError {
    /// ipnat would refuse the rule; the message is ipnat's own.
    #[error("invalid NAT rule {rule:?}: {message}")]
    Invalid { rule: String, message: String },
    #[error("the rule is already in ipnat.conf as rule {rule_id}: {existing}")]
    Duplicate { rule_id: usize, existing: String },
    #[error("there is no NAT rule {0} (rules are numbered from 0)")]
    NoSuchRule(usize),
}

impl From<(&str, SyntaxError)> for NatError {
    fn from((rule, e): (&str, SyntaxError)) -> Self {
        NatError::Invalid {
            rule: rule.to_string(),
            message: e.to_string(),
        }
    }
}

/// The fields operators filter on, read from a rule's words: the kind, the interface (the
/// first of `if1,if2`) and the network it is about: the source network of map/bimap/
/// map-block, the destination of rdr (`from X to Y` rules: X, resp. Y).
pub fn rule_fields(rule: &str) -> Result<(NatKind, String, String), String> {
    let words: Vec<&str> = rule.split_whitespace().collect();
    let kind = match words.first().map(|w| w.to_ascii_lowercase()).as_deref() {
        Some("map") => NatKind::Map,
        Some("bimap") => NatKind::Bimap,
        Some("map-block") => NatKind::MapBlock,
        Some("rdr") => NatKind::Rdr,
        Some(other) => return Err(format!("{other:?} is not map, bimap, map-block or rdr")),
        None => return Err("empty rule".into()),
    };
    let Some(ifnames) = words.get(1) else {
        return Err("no interface after the rule type".into());
    };
    let interface = ifnames.split(',').next().unwrap_or_default().to_string();
    let mut rest = words[2..].iter().copied().skip_while(|w| *w == "!");
    let subnet = match rest.next() {
        Some("from") => {
            let src = rest.next().unwrap_or_default();
            if kind == NatKind::Rdr {
                rest.skip_while(|w| !w.eq_ignore_ascii_case("to"))
                    .nth(1)
                    .unwrap_or_default()
            } else {
                src
            }
        }
        Some(w) if w != "->" => w,
        _ => return Err("no address before \"->\"".into()),
    };
    if subnet.is_empty() {
        return Err("incomplete from/to clause".into());
    }
    Ok((kind, interface, subnet.to_string()))
}

fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or_default().trim()
}

impl IpnatConf {
    /// Parse the file. Lines that are neither blank, a comment, an assignment nor start with
    /// a rule keyword are an error; rules themselves are checked only by their first words
    /// (ipnat itself, or [`check_rule`], validates them fully).
    pub fn parse(text: &str) -> Result<IpnatConf, ParseError> {
        let mut lines = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let body = strip_comment(raw);
            if body.is_empty() || is_assignment(body) {
                lines.push(Line::Other(raw.to_string()));
                continue;
            }
            rule_fields(body).map_err(|m| ParseError::new("/etc/ipf/ipnat.conf", i + 1, m))?;
            lines.push(Line::Rule {
                raw: raw.to_string(),
                rule: body.to_string(),
            });
        }
        Ok(IpnatConf {
            lines,
            no_final_newline: !text.is_empty() && !text.ends_with('\n'),
        })
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            match line {
                Line::Rule { raw, .. } | Line::Other(raw) => out.push_str(raw),
            }
            out.push('\n');
        }
        if self.no_final_newline {
            out.pop();
        }
        out
    }

    /// The rules in file order, numbered from 0.
    pub fn rules(&self) -> Vec<NatRule> {
        self.rule_texts()
            .enumerate()
            .filter_map(|(rule_id, rule)| {
                let (kind, interface, subnet) = rule_fields(rule).ok()?;
                Some(NatRule {
                    rule_id,
                    rule: rule.to_string(),
                    kind,
                    interface,
                    subnet,
                })
            })
            .collect()
    }

    fn rule_texts(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().filter_map(|l| match l {
            Line::Rule { rule, .. } => Some(rule.as_str()),
            Line::Other(_) => None,
        })
    }

    /// Append a rule (after checking it the way ipnat would, and that the same rule is not
    /// there already); returns its rule_id.
    pub fn add_rule(&mut self, rule: &str) -> Result<usize, NatError> {
        let rule = rule.trim();
        let canon = check_rule(rule)?;
        for (rule_id, existing) in self.rule_texts().enumerate() {
            if check_rule(existing).is_ok_and(|c| c == canon) {
                return Err(NatError::Duplicate {
                    rule_id,
                    existing: existing.to_string(),
                });
            }
        }
        let id = self.rule_texts().count();
        self.lines.push(Line::Rule {
            raw: rule.to_string(),
            rule: rule.to_string(),
        });
        self.no_final_newline = false;
        Ok(id)
    }

    /// Remove rule `rule_id` (its line, comment included); returns the rule's text.
    pub fn remove_rule(&mut self, rule_id: usize) -> Result<String, NatError> {
        let index = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l, Line::Rule { .. }))
            .nth(rule_id)
            .map(|(i, _)| i)
            .ok_or(NatError::NoSuchRule(rule_id))?;
        match self.lines.remove(index) {
            Line::Rule { rule, .. } => Ok(rule),
            Line::Other(_) => unreachable!("index selected a rule line"),
        }
    }
}

fn is_assignment(body: &str) -> bool {
    let mut words = body.split_whitespace();
    words.next().is_some_and(|w| !w.contains('='))
        && words.next() == Some("=")
        && body.ends_with(';')
}

/// Check a rule as `ipnat -f` would and return it as `ipnat -l` would list it.
pub fn check_rule(rule: &str) -> Result<String, NatError> {
    parse_rule(rule)
        .map(|nat| printnat(&nat))
        .map_err(|e| NatError::from((rule, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF: &str = "# NAT for the provisioning network\n\
                        \n\
                        map igb0 10.190.190.0/24 -> 0/32 portmap tcp/udp auto   # zones\n\
                        ext = \"igb0\";\n\
                        bimap igb0 10.190.190.10 -> 192.168.1.100\n\
                        # web\n\
                        rdr igb0 192.168.1.10 port 8080 -> 10.190.190.10 port 80\n";

    #[test]
    fn parses_rules_and_keeps_the_rest_verbatim() {
        let conf = IpnatConf::parse(CONF).unwrap();
        assert_eq!(conf.render(), CONF);
        let rules = conf.rules();
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0].rule_id, 0);
        assert_eq!(
            rules[0].rule,
            "map igb0 10.190.190.0/24 -> 0/32 portmap tcp/udp auto"
        );
        assert_eq!(rules[0].kind, NatKind::Map);
        assert_eq!(rules[0].subnet, "10.190.190.0/24");
        assert_eq!(rules[1].kind, NatKind::Bimap);
        assert_eq!(rules[1].subnet, "10.190.190.10");
        assert_eq!(rules[2].kind, NatKind::Rdr);
        assert_eq!(rules[2].subnet, "192.168.1.10");
        assert_eq!(rules[2].interface, "igb0");
        let json = serde_json::to_value(&rules[0]).unwrap();
        assert_eq!(json["type"], "map");
    }

    #[test]
    fn add_and_remove_preserve_other_lines() {
        let mut conf = IpnatConf::parse(CONF).unwrap();
        let id = conf
            .add_rule("map igb1 10.200.0.0/16 -> 0/32 portmap tcp/udp auto")
            .unwrap();
        assert_eq!(id, 3);
        assert_eq!(conf.rules()[3].interface, "igb1");
        let removed = conf.remove_rule(1).unwrap();
        assert!(removed.starts_with("bimap"));
        let text = conf.render();
        assert!(text.starts_with("# NAT for the provisioning network\n\n"));
        assert!(text.contains("   # zones\n"));
        assert!(text.contains("ext = \"igb0\";\n# web\nrdr"));
        assert!(text.ends_with("port 80\nmap igb1 10.200.0.0/16 -> 0/32 portmap tcp/udp auto\n"));
        assert_eq!(conf.remove_rule(9), Err(NatError::NoSuchRule(9)));
    }

    #[test]
    fn refuses_invalid_and_duplicate_rules() {
        let mut conf = IpnatConf::parse(CONF).unwrap();
        // Same rule, written differently.
        let e = conf
            .add_rule("map igb0 10.190.190.5/24 -> 0.0.0.0/32 portmap tcp/udp auto")
            .unwrap_err();
        assert!(matches!(e, NatError::Duplicate { rule_id: 0, .. }), "{e}");
        let e = conf.add_rule("map igb0 10.0.0.0/24 0/32").unwrap_err();
        assert!(e.to_string().contains("syntax error error at \"0\""), "{e}");
    }

    #[test]
    fn unknown_lines_are_errors_and_missing_newline_survives() {
        let e = IpnatConf::parse("map igb0 10.0.0.0/8 -> 0/32\npass in all\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("\"pass\""));
        let conf = IpnatConf::parse("map igb0 10.0.0.0/8 -> 0/32").unwrap();
        assert_eq!(conf.render(), "map igb0 10.0.0.0/8 -> 0/32");
        assert_eq!(IpnatConf::parse("").unwrap().render(), "");
    }

    #[test]
    fn rdr_with_from_to_uses_the_destination() {
        let (kind, iface, subnet) =
            rule_fields("rdr igb0,igb1 from any to 203.0.113.5 port = 80 -> 10.0.0.1 port 80")
                .unwrap();
        assert_eq!(
            (kind, iface.as_str(), subnet.as_str()),
            (NatKind::Rdr, "igb0", "203.0.113.5")
        );
        let (_, _, subnet) = rule_fields("map igb0 from 10.0.0.0/8 to any -> 0/32").unwrap();
        assert_eq!(subnet, "10.0.0.0/8");
    }
}
