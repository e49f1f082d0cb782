//! zlogin(1): argv for an interactive login, a command run in a zone, and the zone console;
//! and the refusals zlogin prints, so the UI can say why a session did not start.
//!
//! How a command reaches the zone (illumos `usr/src/cmd/zlogin/zlogin.c`, `prep_args`):
//! zlogin does not exec the argv it is given. When the zone has `su`, it joins the words with
//! single spaces into ONE string and runs `su root -c STRING`, so the zone's shell parses the
//! string again. While joining, a word that contains a space or a tab is wrapped in single
//! quotes (nothing else is escaped) — and only when there are two or more words: a lone word is
//! passed as is, for the old `zlogin z 'cmd args'` usage. So `;`, `$(…)`, `'`, `*`, newlines
//! are interpreted in the zone, and `a'b c` breaks the quoting zlogin adds.
//!
//! [`exec`] therefore quotes every word for a POSIX shell itself and hands zlogin the whole
//! command line as that single word, which zlogin passes through untouched: the shell in the
//! zone then splits it back into exactly the argv the caller gave.

use serde::Serialize;

use super::command::sh_quote;
use super::zoneadm::ZoneState;
use super::{Command, ParseError};

pub const PROGRAM: &str = "zlogin";

/// `zlogin ZONE`: an interactive login as root (needs all privileges, hence pfexec).
pub fn login(zone: &str) -> Command {
    Command::mutating(PROGRAM).arg(zone)
}

/// `zlogin -l USER ZONE`.
pub fn login_as(zone: &str, user: &str) -> Command {
    Command::mutating(PROGRAM).args(["-l", user, zone])
}

/// `zlogin ZONE 'PROGRAM ARGS…'`: run one command in the zone as root; the zone runs exactly
/// this argv (see the module doc for why it travels as one quoted word).
pub fn exec<S: AsRef<str>>(zone: &str, program: &str, args: &[S]) -> Command {
    Command::mutating(PROGRAM)
        .arg(zone)
        .arg(command_line(program, args))
}

/// `zlogin -l USER ZONE 'PROGRAM ARGS…'`.
pub fn exec_as<S: AsRef<str>>(zone: &str, user: &str, program: &str, args: &[S]) -> Command {
    Command::mutating(PROGRAM)
        .args(["-l", user, zone])
        .arg(command_line(program, args))
}

/// The command line the zone's shell parses back into `program args…`.
pub fn command_line<S: AsRef<str>>(program: &str, args: &[S]) -> String {
    std::iter::once(program)
        .chain(args.iter().map(AsRef::as_ref))
        .map(sh_quote)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The console's escape character (`-e c`, `-E`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Escape {
    /// `~`: `~.` disconnects.
    #[default]
    Default,
    /// `-e c`: `c.` disconnects.
    Char(u8),
    /// `-E`: no escape sequence; the session ends only from the other side.
    Disabled,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ConsoleOptions {
    pub escape: Escape,
    /// `-d`: disconnect when the zone halts.
    pub disconnect_on_halt: bool,
}

/// `zlogin -C [-e c | -E] [-d] ZONE`.
pub fn console(zone: &str, opts: &ConsoleOptions) -> Command {
    let mut cmd = Command::mutating(PROGRAM).arg("-C");
    match opts.escape {
        Escape::Default => {}
        Escape::Char(c) => cmd = cmd.args(["-e".to_string(), escape_arg(c)]),
        Escape::Disabled => cmd = cmd.arg("-E"),
    }
    if opts.disconnect_on_halt {
        cmd = cmd.arg("-d");
    }
    cmd.arg(zone)
}

/// How `-e` spells an escape byte: itself when printable, else zlogin's `\NNN` octal form
/// (a leading backslash introduces octal, so a backslash itself is written `\\`).
pub fn escape_arg(c: u8) -> String {
    match c {
        b'\\' => r"\\".to_string(),
        c if c.is_ascii_graphic() => char::from(c).to_string(),
        c => format!("\\{c:03o}"),
    }
}

/// The line zlogin -C prints on attaching (stdout).
pub fn banner_connected(zone: &str) -> String {
    format!("[Connected to zone '{zone}' console]")
}

/// The line zlogin -C prints on detaching (stdout, after an empty line).
pub fn banner_closed(zone: &str) -> String {
    format!("[Connection to zone '{zone}' console closed]")
}

/// Why zlogin refused to start a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Refusal {
    /// Another client holds the console.
    ConsoleInUse {
        pid: u32,
    },
    /// A login or command needs a running zone.
    NotRunning {
        zone: String,
        state: ZoneState,
    },
    /// Nothing at all before `installed` (the console included).
    NotInstalled {
        state: ZoneState,
    },
    UnknownZone {
        zone: String,
    },
    GlobalZone,
}

/// Find zlogin's refusal in its stderr. `Ok(None)` when stderr holds none of them (another
/// failure, or the command's own output); an error when a refusal line is garbled.
pub fn parse_refusal(stderr: &str) -> Result<Option<Refusal>, ParseError> {
    const SOURCE: &str = "zlogin";
    let state = |n: usize, text: &str| {
        ZoneState::parse(text)
            .ok_or_else(|| ParseError::new(SOURCE, n, format!("unknown zone state '{text}'")))
    };
    for (i, line) in stderr.lines().enumerate() {
        let n = i + 1;
        let Some(msg) = line.strip_prefix("zlogin: ") else {
            continue;
        };
        if let Some(rest) = msg.strip_prefix("Zone is already in use by process ID ") {
            let pid = rest.strip_suffix('.').unwrap_or(rest);
            let pid = pid.parse().map_err(|_| {
                ParseError::new(SOURCE, n, format!("console holder '{pid}' is not a pid"))
            })?;
            return Ok(Some(Refusal::ConsoleInUse { pid }));
        }
        if let Some(rest) = msg.strip_prefix("login allowed only to running zones (") {
            let inner = rest
                .strip_suffix("').")
                .ok_or_else(|| ParseError::new(SOURCE, n, "expected \"(ZONE is 'STATE').\""))?;
            let (zone, st) = inner
                .rsplit_once(" is '")
                .ok_or_else(|| ParseError::new(SOURCE, n, "expected \"(ZONE is 'STATE').\""))?;
            return Ok(Some(Refusal::NotRunning {
                zone: zone.to_string(),
                state: state(n, st)?,
            }));
        }
        if let Some(rest) = msg.strip_prefix("cannot login to a zone which is '") {
            let st = rest.strip_suffix('\'').unwrap_or(rest);
            return Ok(Some(Refusal::NotInstalled {
                state: state(n, st)?,
            }));
        }
        if let Some(zone) = msg
            .strip_prefix("zone '")
            .and_then(|r| r.strip_suffix("' unknown"))
        {
            return Ok(Some(Refusal::UnknownZone {
                zone: zone.to_string(),
            }));
        }
        if msg.ends_with("not applicable to the global zone") {
            return Ok(Some(Refusal::GlobalZone));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_passes_one_word_that_a_shell_splits_back_exactly() {
        let args = [
            "%s\n",
            "a b",
            "it's",
            "$(touch /tmp/x)",
            "x;y",
            "line\nbreak",
            "",
            "*",
        ];
        let cmd = exec("web01", "printf", &args);
        assert_eq!(cmd.program, "zlogin");
        assert!(cmd.privileged);
        assert_eq!(
            cmd.args.len(),
            2,
            "zone and ONE command word: {:?}",
            cmd.args
        );
        assert_eq!(cmd.args[0], "web01");
        assert_eq!(
            cmd.args[1],
            "printf '%s\n' 'a b' 'it'\\''s' '$(touch /tmp/x)' 'x;y' 'line\nbreak' '' '*'"
        );
        // No space or tab in the word unless inside quotes: zlogin adds no quoting of its own
        // to a lone word, and the word is not re-wrapped.
        assert_eq!(
            exec("z", "zfs", &["list", "-Hp", "-o", "name,used"]).args[1],
            "zfs list -Hp -o name,used"
        );
        assert_eq!(
            exec_as("z", "admin", "id", &[] as &[&str]).argv(),
            ["zlogin", "-l", "admin", "z", "id"]
        );
    }

    #[test]
    fn quoting_leaves_nothing_for_a_shell_to_expand() {
        for word in [
            "a=b", "%1", "~root", "#c", "x|y", "{a,b}", "$HOME", "a\tb", "\\",
        ] {
            let q = sh_quote(word);
            assert!(q.starts_with('\'') && q.ends_with('\''), "{word:?} -> {q}");
        }
        assert_eq!(sh_quote("rpool/zones/web-01.a"), "rpool/zones/web-01.a");
        assert_eq!(sh_quote("'"), r"''\'''");
    }

    #[test]
    fn login_and_console_argv() {
        assert_eq!(login("db").argv(), ["zlogin", "db"]);
        assert_eq!(login_as("db", "me").argv(), ["zlogin", "-l", "me", "db"]);
        assert_eq!(
            console("vm1", &ConsoleOptions::default()).argv(),
            ["zlogin", "-C", "vm1"]
        );
        let opts = ConsoleOptions {
            escape: Escape::Char(b'#'),
            disconnect_on_halt: true,
        };
        assert_eq!(
            console("vm1", &opts).argv(),
            ["zlogin", "-C", "-e", "#", "-d", "vm1"]
        );
        let opts = ConsoleOptions {
            escape: Escape::Disabled,
            disconnect_on_halt: false,
        };
        assert_eq!(console("vm1", &opts).argv(), ["zlogin", "-C", "-E", "vm1"]);
        assert_eq!(escape_arg(0x1d), r"\035");
        assert_eq!(escape_arg(b'\\'), r"\\");
        assert_eq!(escape_arg(b' '), r"\040");
    }

    #[test]
    fn refusals_are_recognised() {
        assert_eq!(
            parse_refusal("zlogin: Zone is already in use by process ID 4242.\n"),
            Ok(Some(Refusal::ConsoleInUse { pid: 4242 }))
        );
        assert_eq!(
            parse_refusal("zlogin: login allowed only to running zones (web.01 is 'installed').\n"),
            Ok(Some(Refusal::NotRunning {
                zone: "web.01".into(),
                state: ZoneState::Installed
            }))
        );
        assert_eq!(
            parse_refusal("zlogin: cannot login to a zone which is 'incomplete'\n"),
            Ok(Some(Refusal::NotInstalled {
                state: ZoneState::Incomplete
            }))
        );
        assert_eq!(
            parse_refusal("zlogin: zone 'nope' unknown\n"),
            Ok(Some(Refusal::UnknownZone {
                zone: "nope".into()
            }))
        );
        assert_eq!(
            parse_refusal("zlogin: 'zlogin' not applicable to the global zone\n"),
            Ok(Some(Refusal::GlobalZone))
        );
        assert_eq!(parse_refusal("ls: cannot access 'x'\n"), Ok(None));
        assert_eq!(parse_refusal(""), Ok(None));
    }

    #[test]
    fn garbled_refusals_are_errors() {
        let err = parse_refusal("noise\nzlogin: Zone is already in use by process ID abc.\n")
            .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("'abc'"), "{err}");
        let err = parse_refusal("zlogin: login allowed only to running zones (z is 'weird').")
            .unwrap_err();
        assert!(err.message.contains("weird"), "{err}");
        assert!(parse_refusal("zlogin: login allowed only to running zones (z)").is_err());
    }
}
