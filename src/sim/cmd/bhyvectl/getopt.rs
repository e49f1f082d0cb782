//! bhyvectl's command line as illumos `getopt_long(argc, argv, "", opts, NULL)` reads it:
//! long options only, unique abbreviations accepted (`--force-p`), a required argument as
//! `--vm=NAME` or `--vm NAME` (the next word, whatever it is), non-options skipped
//! (permuted to the end and ignored), `--` ends the options. The messages are libc's
//! (usr/src/lib/libc/port/gen/getopt_long.c), prefixed with argv[0].

/// The options the sim acts on, in the order of bhyvectl's option table (the order decides
/// which abbreviations are ambiguous).
const TABLE: &[(&str, bool)] = &[
    ("vm", true),
    ("cpu", true),
    ("inject-nmi", false),
    ("force-reset", false),
    ("force-poweroff", false),
];

/// What the command line asks for (a later `--vm` wins, as the C globals do).
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Request {
    pub vm: Option<String>,
    pub inject_nmi: bool,
    pub force_reset: bool,
    pub force_poweroff: bool,
}

/// Parse the arguments; Err carries getopt's complaint (bhyvectl then prints its usage).
pub(super) fn parse(prog: &str, args: &[String]) -> Result<Request, String> {
    let mut req = Request::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            break;
        }
        if let Some(body) = arg.strip_prefix("--") {
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let (long, takes_arg) = lookup(prog, name, body)?;
            let value = match (takes_arg, value) {
                (false, Some(_)) => {
                    return Err(format!("{prog}: option doesn't take an argument -- {name}"));
                }
                (false, None) => None,
                (true, Some(v)) => Some(v),
                (true, None) if i < args.len() => {
                    i += 1;
                    Some(args[i - 1].clone())
                }
                (true, None) => {
                    return Err(format!("{prog}: option requires an argument -- {body}"));
                }
            };
            match long {
                "vm" => req.vm = value,
                "inject-nmi" => req.inject_nmi = true,
                "force-reset" => req.force_reset = true,
                "force-poweroff" => req.force_poweroff = true,
                // --cpu picks the vCPU an NMI goes to; the sim's guests do not model vCPUs.
                _ => {}
            }
        } else if let Some(short) = arg.strip_prefix('-').and_then(|s| s.chars().next()) {
            // The short-option string is empty: every letter is illegal.
            return Err(format!("{prog}: illegal option -- {short}"));
        }
        // Anything else (including a lone "-") is a non-option, which bhyvectl ignores.
    }
    Ok(req)
}

/// Find a long option by its name or an abbreviation, as parse_long_options() does: an
/// exact match ends the search, a second partial match before it is ambiguous.
fn lookup(prog: &str, name: &str, body: &str) -> Result<(&'static str, bool), String> {
    let mut found = None;
    for &(long, takes_arg) in TABLE {
        if !long.starts_with(name) {
            continue;
        }
        if long.len() == name.len() {
            return Ok((long, takes_arg));
        }
        if found.is_some() {
            return Err(format!("{prog}: ambiguous option -- {name}"));
        }
        found = Some((long, takes_arg));
    }
    found.ok_or_else(|| format!("{prog}: illegal option -- {body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Request, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse("bhyvectl", &args)
    }

    #[test]
    fn long_options_abbreviations_and_separate_values() {
        let req = p(&["--vm", "web", "--force-p", "stray"]).unwrap();
        assert_eq!(req.vm.as_deref(), Some("web"));
        assert!(req.force_poweroff && !req.force_reset && !req.inject_nmi);
        // The word after --vm is its value even when it looks like an option.
        let req = p(&["--vm", "--inject-nmi"]).unwrap();
        assert_eq!(req.vm.as_deref(), Some("--inject-nmi"));
        assert!(!req.inject_nmi);
        // Options after "--" are not read.
        let req = p(&["--vm=a", "--", "--force-reset"]).unwrap();
        assert!(!req.force_reset);
        assert_eq!(p(&["--inject-nmi"]).unwrap().vm, None);
    }

    #[test]
    fn getopt_complaints_use_libc_wording() {
        assert_eq!(
            p(&["--force", "--vm=a"]).unwrap_err(),
            "bhyvectl: ambiguous option -- force"
        );
        assert_eq!(
            p(&["--vm=a", "--reboot=now"]).unwrap_err(),
            "bhyvectl: illegal option -- reboot=now"
        );
        assert_eq!(
            p(&["--force-reset=1"]).unwrap_err(),
            "bhyvectl: option doesn't take an argument -- force-reset"
        );
        assert_eq!(
            p(&["--vm"]).unwrap_err(),
            "bhyvectl: option requires an argument -- vm"
        );
        assert_eq!(p(&["-h"]).unwrap_err(), "bhyvectl: illegal option -- h");
    }
}
