//! The sim host's `zlogin` (illumos `usr/src/cmd/zlogin/zlogin.c`): options, checks and
//! messages as the real one has them; the sessions themselves live in `sim::console`.

use crate::sim::console::{self, ConsoleRequest, LoginRequest, Spec};
use crate::sim::{Ctx, fail, zones};
use crate::sys::zoneadm::ZoneState;

const USAGE: &str =
    "usage: zlogin [-dinCEINQS] [-e cmdchar] [-l user] zonename [command [args ...] ]";

#[derive(Debug, Default)]
struct Opts {
    console: bool,
    /// `-I`: the standalone-process console.
    standalone: bool,
    no_escape: bool,
    escape: Option<u8>,
    quiet: bool,
    failsafe: bool,
    disconnect: bool,
    /// `-i`: run the command itself, without su.
    direct: bool,
    user: Option<String>,
    null_stdin: bool,
    /// `-I` and `-N` each toggle zoneadmd's "send EOF" flag.
    eof_flag: bool,
    alt_root: Option<String>,
}

/// Why main stops early: a message (or none) and the status.
struct Exit(Option<String>, i32);

fn usage(msg: Option<String>) -> Exit {
    Exit(
        Some(msg.map_or(USAGE.into(), |m| format!("zlogin: {m}\n{USAGE}"))),
        2,
    )
}

/// `-e` as set_cmdchar reads it: a character, `\\` or a lone `\` for backslash, `\NNN` octal.
fn cmdchar(arg: &str) -> Result<u8, Exit> {
    let bytes = arg.as_bytes();
    match bytes {
        [] => Ok(0),
        [b'\\'] | [b'\\', b'\\', ..] => Ok(b'\\'),
        [b'\\', d, ..] if (b'0'..=b'7').contains(d) => {
            let digits: String = arg[1..].chars().take_while(|c| c.is_digit(8)).collect();
            match u32::from_str_radix(&digits, 8) {
                Ok(v) if v <= 255 => Ok(v as u8),
                _ => Err(usage(Some(format!(
                    "Octal escape character '{arg}' too large"
                )))),
            }
        }
        [b'\\', ..] => Err(usage(Some(format!(
            "Unrecognized escape character option {arg}"
        )))),
        [c, ..] => Ok(*c),
    }
}

/// getopt("diNnECIR:Se:l:Q"): options end at the first operand or `--`.
fn parse(args: &[String]) -> Result<(Opts, Vec<String>), Exit> {
    let mut o = Opts::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            i += 1;
            break;
        }
        if !arg.starts_with('-') || arg.len() == 1 {
            break;
        }
        for (pos, c) in arg[1..].char_indices() {
            let mut value = || -> Result<String, Exit> {
                let rest = &arg[1 + pos + c.len_utf8()..];
                if !rest.is_empty() {
                    return Ok(rest.to_string());
                }
                i += 1;
                args.get(i)
                    .cloned()
                    .ok_or_else(|| usage(Some(format!("option requires an argument -- {c}"))))
            };
            match c {
                'C' => o.console = true,
                'E' => o.no_escape = true,
                'I' => {
                    o.console = true;
                    o.standalone = true;
                    o.eof_flag ^= true;
                }
                'N' => o.eof_flag ^= true,
                'Q' => o.quiet = true,
                'S' => o.failsafe = true,
                'd' => o.disconnect = true,
                'i' => o.direct = true,
                'n' => o.null_stdin = true,
                'e' | 'l' | 'R' => {
                    let v = value()?;
                    match c {
                        'e' => o.escape = Some(cmdchar(&v)?),
                        'l' => o.user = Some(v),
                        _ => o.alt_root = Some(v),
                    }
                    break;
                }
                _ => return Err(usage(Some(format!("illegal option -- {c}")))),
            }
        }
        i += 1;
    }
    Ok((o, args[i..].to_vec()))
}

/// The option combinations zlogin rejects, in its order.
fn check(o: &mut Opts, operands: &[String]) -> Result<(), Exit> {
    if o.console {
        if !o.standalone {
            o.eof_flag = false;
        }
        for (set, flag) in [
            (o.user.is_some(), 'l'),
            (o.null_stdin, 'n'),
            (o.failsafe, 'S'),
        ] {
            if set {
                return Err(usage(Some(format!(
                    "-{flag} may not be specified for console login"
                ))));
            }
        }
        if o.alt_root.is_some() {
            return Err(Exit(
                Some("zlogin: -R may not be specified for console login".into()),
                2,
            ));
        }
    }
    if o.direct && o.null_stdin {
        return Err(usage(Some("-i and -n flags are incompatible".into())));
    }
    if o.failsafe && o.user.is_some() {
        return Err(usage(Some(
            "-l may not be specified for failsafe login".into(),
        )));
    }
    if !o.console && o.disconnect {
        return Err(usage(Some(
            "-d may only be specified with console login".into(),
        )));
    }
    if !o.standalone && o.eof_flag {
        return Err(usage(Some("-N may only be specified with -I".into())));
    }
    match operands.len() {
        0 => Err(usage(None)),
        1 if o.null_stdin => Err(usage(Some(
            "-n may not be specified for interactive login".into(),
        ))),
        n if n > 1 && o.console => Err(usage(Some(
            "Commands may not be specified for console login.".into(),
        ))),
        _ => Ok(()),
    }
}

/// How prep_args hands a command to `su root -c`: the words joined by spaces, a word with a
/// space or tab wrapped in single quotes, but only when there are several words.
fn su_command_line(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if words.len() > 1 && (w.contains(' ') || w.contains('\t')) {
                format!("'{w}'")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    match run(ctx, args) {
        Ok(code) => code,
        Err(Exit(msg, code)) => {
            if let Some(msg) = msg {
                let _ = writeln!(ctx.err, "{msg}");
            }
            code
        }
    }
}

fn refuse(msg: String) -> Exit {
    Exit(Some(format!("zlogin: {msg}")), 1)
}

fn run(ctx: &mut Ctx, args: &[String]) -> Result<i32, Exit> {
    let (mut o, operands) = parse(args)?;
    if let Some(root) = &o.alt_root {
        if !root.starts_with('/') {
            return Err(Exit(Some("zlogin: root path must be absolute.".into()), 2));
        }
        if !ctx.host.host_path(root).is_dir() {
            return Err(Exit(
                Some("zlogin: root path must be a directory.".into()),
                2,
            ));
        }
    }
    check(&mut o, &operands)?;
    let zone = operands[0].as_str();
    let command = &operands[1..];
    if zone == "global" {
        return Err(refuse("'zlogin' not applicable to the global zone".into()));
    }
    let host = ctx.host;
    let (state, cfg) = {
        let _lock = host
            .lock_shared()
            .map_err(|e| refuse(format!("could not read zone state: {e}")))?;
        let state = zones::current_state(host, zone).map_err(|e| refuse(e.to_string()))?;
        let cfg = zones::load_config(host, zone).map_err(|e| refuse(e.to_string()))?;
        (state, cfg)
    };
    // An alternate root has its own /etc/zones, which holds none of this host's zones.
    let in_alt_root = o
        .alt_root
        .as_deref()
        .is_some_and(|r| !r.trim_end_matches('/').is_empty());
    let (Some(state), Some(cfg), false) = (state, cfg, in_alt_root) else {
        return Err(refuse(format!("zone '{zone}' unknown")));
    };
    if state < ZoneState::Installed {
        return Err(refuse(format!("cannot login to a zone which is '{state}'")));
    }
    if o.console {
        if o.standalone && !cfg.attrs.iter().any(|a| a.name == "zlog-mode") {
            return Err(refuse("'zlog-mode' is not configured on the zone".into()));
        }
        let escape = match (o.no_escape, o.escape) {
            (true, _) => None,
            (false, e) => Some(e.unwrap_or(b'~')),
        };
        let req = ConsoleRequest {
            zone,
            escape,
            disconnect_on_halt: o.disconnect,
            quiet: o.quiet,
            standalone: o.standalone,
        };
        return Ok(console::attach(ctx, &req));
    }
    if state != ZoneState::Running && state != ZoneState::Mounted {
        return Err(refuse(format!(
            "login allowed only to running zones ({zone} is '{state}')."
        )));
    }
    if !command.is_empty() && fail::injected(host, "zlogin", args) {
        // What a command meets when the zone goes away under it.
        return Err(refuse(format!(
            "could not enter zone {zone}: Invalid argument"
        )));
    }
    let root = console::zone_root(host, &cfg.zonepath)
        .map_err(|_| refuse(format!("could not get dev path for zone {zone}")))?;
    let user = o.user.clone().unwrap_or_else(|| "root".into());
    let tty = console::stdin_is_tty();
    let escape = (!o.no_escape).then(|| o.escape.unwrap_or(b'~'));
    let login = |spec: Spec, greet| LoginRequest {
        zone,
        user: &user,
        spec,
        greet,
        escape,
        quiet: o.quiet,
    };
    Ok(match (command.is_empty(), o.direct) {
        // `-i`: the command itself, on a pty when stdin is a terminal.
        (false, true) => {
            let spec = Spec {
                program: command[0].clone(),
                args: command[1..].to_vec(),
                env: console::login_env(zone, &user, &root),
                cwd: root,
            };
            if tty {
                console::login(ctx, login(spec, None))
            } else {
                console::run_piped(ctx, &spec, false)
            }
        }
        (false, false) => {
            let line = su_command_line(command);
            let spec = console::shell_spec(zone, &user, root, Some(line));
            console::run_piped(ctx, &spec, o.null_stdin)
        }
        (true, _) => {
            let spec = console::shell_spec(zone, &user, root, None);
            if tty {
                console::login(ctx, login(spec, Some(&cfg)))
            } else {
                // Without a terminal zlogin runs the login with pipes: the shell reads
                // its commands from our stdin.
                console::run_piped(ctx, &spec, false)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn su_command_line_quotes_like_prep_args() {
        assert_eq!(su_command_line(&words(&["echo hello"])), "echo hello");
        assert_eq!(
            su_command_line(&words(&["bash", "-c", "echo hello"])),
            "bash -c 'echo hello'"
        );
        assert_eq!(su_command_line(&words(&["echo", "a;b"])), "echo a;b");
    }

    #[test]
    fn options_stop_at_the_zone_name() {
        let (o, rest) = parse(&words(&["-C", "-e#", "-d", "z1"])).ok().unwrap();
        assert!(o.console && o.disconnect);
        assert_eq!(o.escape, Some(b'#'));
        assert_eq!(rest, ["z1"]);
        let (o, rest) = parse(&words(&["-l", "me", "z1", "ls", "-l"])).ok().unwrap();
        assert_eq!(o.user.as_deref(), Some("me"));
        assert_eq!(rest, ["z1", "ls", "-l"]);
        let (o, _) = parse(&words(&["-Ce", "\\035", "z"])).ok().unwrap();
        assert_eq!(o.escape, Some(0x1d));
        assert!(parse(&words(&["-x", "z"])).is_err());
        assert!(parse(&words(&["-e"])).is_err());
    }
}
