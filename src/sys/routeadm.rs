//! routeadm(8): IP forwarding and routing. `routeadm -p` prints one line per option,
//! `ipv4-forwarding persistent=disabled default=disabled current=disabled`, then one per
//! variable, `routing-svcs persistent="route:default ripng:default" default="…" ` (values
//! quoted, a space before the newline).

use serde::{Deserialize, Serialize};

use super::{Command, ParseError};

/// An option `routeadm -e/-d` switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteOption {
    Ipv4Routing,
    Ipv6Routing,
    Ipv4Forwarding,
    Ipv6Forwarding,
}

impl RouteOption {
    /// In the order routeadm reports them.
    pub const ALL: [RouteOption; 4] = [
        RouteOption::Ipv4Routing,
        RouteOption::Ipv6Routing,
        RouteOption::Ipv4Forwarding,
        RouteOption::Ipv6Forwarding,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RouteOption::Ipv4Routing => "ipv4-routing",
            RouteOption::Ipv6Routing => "ipv6-routing",
            RouteOption::Ipv4Forwarding => "ipv4-forwarding",
            RouteOption::Ipv6Forwarding => "ipv6-forwarding",
        }
    }

    pub fn parse(text: &str) -> Option<RouteOption> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// The name in routeadm's human table ("IPv4 forwarding").
    pub fn label(self) -> &'static str {
        match self {
            RouteOption::Ipv4Routing => "IPv4 routing",
            RouteOption::Ipv6Routing => "IPv6 routing",
            RouteOption::Ipv4Forwarding => "IPv4 forwarding",
            RouteOption::Ipv6Forwarding => "IPv6 forwarding",
        }
    }
}

impl std::fmt::Display for RouteOption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One option's three states: set for the next boot (`persistent`), the system default,
/// and what the running system does (`current`; changes with `routeadm -u`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OptionState {
    pub option: RouteOption,
    pub persistent: bool,
    pub default: bool,
    pub current: bool,
}

/// One variable line (`routing-svcs`, `ipv4-routing-daemon` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variable {
    pub name: String,
    pub persistent: String,
    pub default: String,
}

/// The whole `routeadm -p` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub options: Vec<OptionState>,
    pub variables: Vec<Variable>,
}

impl Report {
    pub fn option(&self, option: RouteOption) -> Option<&OptionState> {
        self.options.iter().find(|o| o.option == option)
    }
}

/// `routeadm -p`
pub fn report() -> Command {
    Command::read("routeadm").arg("-p")
}

/// `routeadm -e OPT… -d OPT… [-u]`: set options for the next boot; with `apply_now` also
/// apply them to the running system (`-u`).
pub fn set(enable: &[RouteOption], disable: &[RouteOption], apply_now: bool) -> Command {
    let mut cmd = Command::mutating("routeadm");
    for o in enable {
        cmd = cmd.args(["-e", o.as_str()]);
    }
    for o in disable {
        cmd = cmd.args(["-d", o.as_str()]);
    }
    if apply_now {
        cmd = cmd.arg("-u");
    }
    cmd
}

/// `routeadm -u`: apply the persistent settings to the running system.
pub fn update() -> Command {
    Command::mutating("routeadm").arg("-u")
}

/// Split `key=value key="quoted value" ` into pairs.
fn pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            return Err(format!("'{rest}' is not key=value"));
        };
        let key = rest[..eq].to_string();
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(format!("bad key in '{rest}'"));
        }
        let after = &rest[eq + 1..];
        let (value, tail) = if let Some(q) = after.strip_prefix('"') {
            let end = q
                .find('"')
                .ok_or_else(|| format!("unterminated quote after {key}="))?;
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        };
        out.push((key, value));
        rest = tail.trim_start();
    }
    Ok(out)
}

fn enabled(source: &str, line: usize, key: &str, v: &str) -> Result<bool, ParseError> {
    match v {
        "enabled" => Ok(true),
        "disabled" => Ok(false),
        _ => Err(ParseError::new(
            source,
            line,
            format!("{key}={v}: expected enabled or disabled"),
        )),
    }
}

/// Parse `routeadm -p`.
pub fn parse(text: &str) -> Result<Report, ParseError> {
    const SOURCE: &str = "routeadm -p";
    let mut report = Report {
        options: Vec::new(),
        variables: Vec::new(),
    };
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |m: String| ParseError::new(SOURCE, line_no, m);
        if line.trim().is_empty() {
            continue;
        }
        let (name, rest) = line
            .split_once(' ')
            .ok_or_else(|| err(format!("expected a name and key=value pairs: '{line}'")))?;
        let kv = pairs(rest).map_err(err)?;
        let get = |k: &str| {
            kv.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .ok_or_else(|| err(format!("{name}: missing {k}=")))
        };
        if let Some(option) = RouteOption::parse(name) {
            report.options.push(OptionState {
                option,
                persistent: enabled(SOURCE, line_no, "persistent", get("persistent")?)?,
                default: enabled(SOURCE, line_no, "default", get("default")?)?,
                current: enabled(SOURCE, line_no, "current", get("current")?)?,
            });
        } else {
            report.variables.push(Variable {
                name: name.to_string(),
                persistent: get("persistent")?.to_string(),
                default: get("default")?.to_string(),
            });
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = "ipv4-routing persistent=disabled default=disabled current=disabled\n\
ipv6-routing persistent=disabled default=disabled current=disabled\n\
ipv4-forwarding persistent=enabled default=disabled current=disabled\n\
ipv6-forwarding persistent=disabled default=disabled current=disabled\n\
ipv4-routing-daemon persistent=\"\" default=\"\" \n\
routing-svcs persistent=\"route:default ripng:default\" default=\"route:default ripng:default\" \n";

    #[test]
    fn parses_options_and_quoted_variables() {
        let r = parse(FIXTURE).unwrap();
        assert_eq!(r.options.len(), 4);
        let fwd = r.option(RouteOption::Ipv4Forwarding).unwrap();
        assert!(fwd.persistent && !fwd.current && !fwd.default);
        assert_eq!(r.variables.len(), 2);
        assert_eq!(r.variables[0].persistent, "");
        assert_eq!(r.variables[1].persistent, "route:default ripng:default");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["options"][2]["option"], "ipv4-forwarding");
    }

    #[test]
    fn reports_bad_lines() {
        let err =
            parse("ipv4-routing persistent=maybe default=disabled current=disabled").unwrap_err();
        assert!(err.message.contains("persistent=maybe"), "{err}");
        let err = parse("ok\nipv4-forwarding persistent=enabled default=disabled").unwrap_err();
        assert_eq!(err.line, 1);
        let err = parse("ipv4-forwarding persistent=enabled default=disabled").unwrap_err();
        assert!(err.message.contains("missing current="), "{err}");
        let err = parse("routing-svcs persistent=\"route:default").unwrap_err();
        assert!(err.message.contains("unterminated"), "{err}");
    }

    #[test]
    fn builders() {
        assert_eq!(report().argv(), ["routeadm", "-p"]);
        let cmd = set(&[RouteOption::Ipv4Forwarding], &[], true);
        assert!(cmd.privileged);
        assert_eq!(cmd.argv(), ["routeadm", "-e", "ipv4-forwarding", "-u"]);
        assert_eq!(
            set(&[], &[RouteOption::Ipv6Forwarding], false).argv(),
            ["routeadm", "-d", "ipv6-forwarding"]
        );
        assert_eq!(update().argv(), ["routeadm", "-u"]);
    }
}
