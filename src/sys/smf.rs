//! SMF: `svcs -H -o state,fmri` parsing, the `svcadm` actions and the `svccfg` property
//! commands (`setprop`, `listprop`, `delprop`, `refresh`).

use serde::{Deserialize, Serialize};

use super::{Command, ParseError};

/// IP Filter; its start and refresh methods load `/etc/ipf/ipnat.conf`.
pub const IPFILTER: &str = "svc:/network/ipfilter:default";
/// ISC dhcpd; `config/listen_ifnames` names the interfaces it serves.
pub const DHCP_SERVER: &str = "svc:/network/dhcp/server:ipv4";
/// Boots the autoboot zones.
pub const ZONES: &str = "svc:/system/zones:default";
/// What `routeadm -e ipv4-forwarding` enables.
pub const IPV4_FORWARDING: &str = "svc:/network/ipv4-forwarding:default";
/// The resource capping daemon (zone memory caps).
pub const RCAP: &str = "svc:/system/rcap:default";

/// The services zcon watches.
pub const WATCHED: [&str; 5] = [IPFILTER, DHCP_SERVER, ZONES, IPV4_FORWARDING, RCAP];

/// An SMF instance state as svcs prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SvcState {
    Online,
    Offline,
    Disabled,
    Maintenance,
    Degraded,
    Uninitialized,
    LegacyRun,
    /// `?` or `-`: svcs could not read the state.
    Unknown,
}

impl SvcState {
    pub const ALL: [SvcState; 8] = [
        SvcState::Online,
        SvcState::Offline,
        SvcState::Disabled,
        SvcState::Maintenance,
        SvcState::Degraded,
        SvcState::Uninitialized,
        SvcState::LegacyRun,
        SvcState::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SvcState::Online => "online",
            SvcState::Offline => "offline",
            SvcState::Disabled => "disabled",
            SvcState::Maintenance => "maintenance",
            SvcState::Degraded => "degraded",
            SvcState::Uninitialized => "uninitialized",
            SvcState::LegacyRun => "legacy_run",
            SvcState::Unknown => "?",
        }
    }

    /// A state word from svcs; `-` (no state recorded) reads as unknown too.
    pub fn parse(text: &str) -> Option<Self> {
        if text == "-" {
            return Some(SvcState::Unknown);
        }
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl std::fmt::Display for SvcState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of `svcs -H -o state,fmri`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceState {
    pub fmri: String,
    pub state: SvcState,
    /// The state ended in `*`: a transition to another state is pending.
    pub transitioning: bool,
}

/// `svcs -H -o state,fmri FMRI…` (no operands: every enabled instance).
pub fn svcs<S: AsRef<str>>(fmris: &[S]) -> Command {
    Command::read("svcs")
        .args(["-H", "-o", "state,fmri"])
        .args(fmris.iter().map(|f| f.as_ref().to_string()))
}

/// Parse `svcs -H -o state,fmri`: two columns padded with spaces.
pub fn parse_svcs(text: &str) -> Result<Vec<ServiceState>, ParseError> {
    const SRC: &str = "svcs -H -o state,fmri";
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(state), Some(fmri), None) = (cols.next(), cols.next(), cols.next()) else {
            return Err(ParseError::new(
                SRC,
                i + 1,
                format!("expected two columns (state, FMRI), got {line:?}"),
            ));
        };
        let (word, transitioning) = match state.strip_suffix('*') {
            Some(w) => (w, true),
            None => (state, false),
        };
        let state = SvcState::parse(word).ok_or_else(|| {
            ParseError::new(SRC, i + 1, format!("unknown service state {state:?}"))
        })?;
        if !(fmri.starts_with("svc:/") || fmri.starts_with("lrc:/")) {
            return Err(ParseError::new(
                SRC,
                i + 1,
                format!("{fmri:?} is not an svc:/ or lrc:/ FMRI"),
            ));
        }
        out.push(ServiceState {
            fmri: fmri.to_string(),
            state,
            transitioning,
        });
    }
    Ok(out)
}

/// Flags of `svcadm enable` / `svcadm disable`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnableOpts {
    /// `-s`: wait until the instance is online (or disabled) or can't get there.
    pub sync: bool,
    /// `-t`: only until the next reboot.
    pub temporary: bool,
}

fn svcadm_switch(verb: &str, fmri: &str, opts: EnableOpts) -> Command {
    let mut cmd = Command::mutating("svcadm").arg(verb);
    if opts.sync {
        cmd = cmd.arg("-s");
    }
    if opts.temporary {
        cmd = cmd.arg("-t");
    }
    cmd.arg(fmri)
}

pub fn svcadm_enable(fmri: &str, opts: EnableOpts) -> Command {
    svcadm_switch("enable", fmri, opts)
}

pub fn svcadm_disable(fmri: &str, opts: EnableOpts) -> Command {
    svcadm_switch("disable", fmri, opts)
}

/// Re-read the configuration (takes the new `running` snapshot, runs the refresh method).
pub fn svcadm_refresh(fmri: &str) -> Command {
    Command::mutating("svcadm").args(["refresh", fmri])
}

pub fn svcadm_restart(fmri: &str) -> Command {
    Command::mutating("svcadm").args(["restart", fmri])
}

/// Take an instance out of maintenance (or degraded).
pub fn svcadm_clear(fmri: &str) -> Command {
    Command::mutating("svcadm").args(["clear", fmri])
}

/// Property types svccfg accepts after `=` (written with a trailing `:`).
pub const PROP_TYPES: [&str; 14] = [
    "astring",
    "ustring",
    "boolean",
    "count",
    "integer",
    "time",
    "opaque",
    "host",
    "hostname",
    "net_address",
    "net_address_v4",
    "net_address_v6",
    "uri",
    "fmri",
];

/// Characters svccfg's lexer only accepts inside double quotes.
const CHARS_TO_QUOTE: &[char] = &[' ', '\t', '\n', '\\', '>', '=', '"', '(', ')'];

/// A value as svccfg's lexer reads it back: double-quoted (with `"` and `\` escaped) when
/// it holds a character the lexer would split on, or always when `force`.
pub fn quote_value(value: &str, force: bool) -> String {
    if !force && !value.is_empty() && !value.contains(CHARS_TO_QUOTE) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Check a `pg/prop` name the way svccfg would before building a command around it.
pub fn check_pg_prop(pg_prop: &str) -> Result<(), String> {
    let Some((pg, prop)) = pg_prop.split_once('/') else {
        return Err(format!("{pg_prop:?}: property names must contain a `/'"));
    };
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.,".contains(c))
    };
    if !valid(pg) {
        return Err(format!("invalid property group name {pg:?}"));
    }
    if !valid(prop) {
        return Err(format!("invalid property name {prop:?}"));
    }
    Ok(())
}

/// `svccfg -s FMRI setprop pg/prop = type: value`, or `= type: ("v1" "v2")` for several
/// values (svccfg insists that string values in a list are quoted). svccfg joins its
/// arguments with spaces and lexes the result, so quoting is svccfg's, not a shell's.
pub fn svccfg_setprop(
    fmri: &str,
    pg_prop: &str,
    ty: &str,
    values: &[&str],
) -> Result<Command, String> {
    check_pg_prop(pg_prop)?;
    if !PROP_TYPES.contains(&ty) {
        return Err(format!("unknown property type {ty:?}"));
    }
    let stringy = matches!(ty, "astring" | "ustring");
    let value = match values {
        [one] => quote_value(one, false),
        many => {
            let quoted: Vec<String> = many.iter().map(|v| quote_value(v, stringy)).collect();
            format!("({})", quoted.join(" "))
        }
    };
    Ok(Command::mutating("svccfg").args([
        "-s".to_string(),
        fmri.to_string(),
        "setprop".to_string(),
        pg_prop.to_string(),
        "=".to_string(),
        format!("{ty}:"),
        value,
    ]))
}

/// `svccfg -s FMRI listprop PATTERN` (a property `pg/prop`, a group, or a glob).
pub fn svccfg_listprop(fmri: &str, pattern: &str) -> Command {
    Command::read("svccfg").args(["-s", fmri, "listprop", pattern])
}

/// `svccfg -s FMRI delprop pg/prop` (or a whole property group).
pub fn svccfg_delprop(fmri: &str, pg_prop: &str) -> Command {
    Command::mutating("svccfg").args(["-s", fmri, "delprop", pg_prop])
}

/// `svccfg -s FMRI refresh`: what a property change needs before the service sees it.
pub fn svccfg_refresh(fmri: &str) -> Command {
    Command::mutating("svccfg").args(["-s", fmri, "refresh"])
}

/// One line of `svccfg listprop`: a property group (no type-of-values) or a property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedProp {
    /// `pg/prop`, or `pg` for a property group line.
    pub name: String,
    /// The property type (`astring` …), or the group type (`application` …).
    pub ty: String,
    pub values: Vec<String>,
}

impl ListedProp {
    pub fn is_group(&self) -> bool {
        !self.name.contains('/')
    }
}

/// Parse `svccfg listprop` output: `NAME  TYPE  VALUE…` where values holding blanks,
/// quotes or parentheses (and every value of a multi-valued string property) are
/// double-quoted with `\"` and `\\` escapes.
pub fn parse_listprop(text: &str) -> Result<Vec<ListedProp>, ParseError> {
    const SRC: &str = "svccfg listprop";
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |m: String| ParseError::new(SRC, i + 1, m);
        let (name, rest) = split_word(line.trim_start());
        let (ty, rest) = split_word(rest);
        if ty.is_empty() {
            return Err(err(format!("no type after {name:?}")));
        }
        let mut values = Vec::new();
        let mut rest = rest.trim_start();
        if name.contains('/') {
            while !rest.is_empty() {
                let (value, tail) = if let Some(q) = rest.strip_prefix('"') {
                    unquote(q)
                        .ok_or_else(|| err(format!("unterminated quoted value in {line:?}")))?
                } else {
                    let (w, t) = split_word(rest);
                    (w.to_string(), t)
                };
                values.push(value);
                rest = tail.trim_start();
            }
        } else if !rest.is_empty() && rest != "NONPERSISTENT" {
            return Err(err(format!(
                "unexpected text after property group: {rest:?}"
            )));
        }
        out.push(ListedProp {
            name: name.to_string(),
            ty: ty.to_string(),
            values,
        });
    }
    Ok(out)
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// Read a quoted value after its opening quote; returns it and the text after the close.
fn unquote(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '"' => return Some((out, &s[i + 1..])),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_padded_columns_transitions_and_unknowns() {
        let text = "online         svc:/network/ipfilter:default\n\
                    offline*       svc:/network/dhcp/server:ipv4\n\
                    ?              svc:/system/rcap:default\n\
                    legacy_run     lrc:/etc/rc2_d/S89PRESERVE\n\
                    maintenance    svc:/application/a-very-long-service-name/with/many/components:an-instance-name\n";
        let got = parse_svcs(text).unwrap();
        assert_eq!(got.len(), 5);
        assert_eq!(
            got[0],
            ServiceState {
                fmri: IPFILTER.into(),
                state: SvcState::Online,
                transitioning: false
            }
        );
        assert!(got[1].transitioning);
        assert_eq!(got[1].state, SvcState::Offline);
        assert_eq!(got[2].state, SvcState::Unknown);
        assert_eq!(got[3].state, SvcState::LegacyRun);
        assert!(got[4].fmri.ends_with(":an-instance-name"));
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        let e = parse_svcs("online\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse_svcs("online svc:/a:b\nrunning svc:/x:y\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("running"));
        assert!(parse_svcs("online network/ssh\n").is_err());
    }

    #[test]
    fn svcadm_and_svcs_argv() {
        let opts = EnableOpts {
            sync: true,
            temporary: true,
        };
        assert_eq!(
            svcadm_enable(IPFILTER, opts).argv(),
            ["svcadm", "enable", "-s", "-t", IPFILTER]
        );
        assert_eq!(
            svcadm_disable(DHCP_SERVER, EnableOpts::default()).argv(),
            ["svcadm", "disable", DHCP_SERVER]
        );
        assert_eq!(svcadm_clear("x").argv(), ["svcadm", "clear", "x"]);
        assert_eq!(
            svcs(&WATCHED[..2]).argv(),
            ["svcs", "-H", "-o", "state,fmri", IPFILTER, DHCP_SERVER]
        );
    }

    #[test]
    fn setprop_quotes_as_svccfg_expects() {
        let c = svccfg_setprop(
            DHCP_SERVER,
            "config/listen_ifnames",
            "astring",
            &["provision_interconnect0"],
        )
        .unwrap();
        assert_eq!(
            c.args[2..],
            [
                "setprop",
                "config/listen_ifnames",
                "=",
                "astring:",
                "provision_interconnect0"
            ]
        );
        let c = svccfg_setprop("svc:/a:b", "config/x", "astring", &["a b", "c\"d"]).unwrap();
        assert_eq!(c.args[6], r#"("a b" "c\"d")"#);
        let c = svccfg_setprop("svc:/a:b", "config/x", "count", &["1", "2"]).unwrap();
        assert_eq!(c.args[6], "(1 2)");
        let c = svccfg_setprop("svc:/a:b", "config/x", "astring", &[""]).unwrap();
        assert_eq!(c.args[6], r#""""#);
        assert!(svccfg_setprop("svc:/a:b", "nopg", "astring", &["x"]).is_err());
        assert!(svccfg_setprop("svc:/a:b", "a/b", "strange", &["x"]).is_err());
    }

    #[test]
    fn listprop_values_plain_quoted_and_groups() {
        let text = "config                 application\n\
                    config/listen_ifnames  astring  provision_interconnect0\n\
                    config/multi           astring  \"a\" \"b c\" \"say \\\"hi\\\"\"\n\
                    config/empty           astring \n\
                    config/n               count    1 2 3\n";
        let props = parse_listprop(text).unwrap();
        assert_eq!(props.len(), 5);
        assert!(props[0].is_group());
        assert_eq!(props[0].ty, "application");
        assert_eq!(props[1].values, ["provision_interconnect0"]);
        assert_eq!(props[2].values, ["a", "b c", "say \"hi\""]);
        assert!(props[3].values.is_empty());
        assert_eq!(props[4].values, ["1", "2", "3"]);
        let e = parse_listprop("config/x  astring  \"open\n").unwrap_err();
        assert!(e.message.contains("unterminated"));
    }
}
