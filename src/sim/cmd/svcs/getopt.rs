//! POSIX getopt(3) as the illumos commands use it: clustered flags, an option's argument
//! in the same word or the next, the first operand or `--` ends the options.

/// Options in order and the operands after them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub opts: Vec<(char, Option<String>)>,
    pub operands: Vec<String>,
}

/// Parse `args` against an optstring (`"ab:c"`: `b` takes an argument). On an unknown
/// option or a missing argument, returns the message getopt prints (without the
/// program name).
pub fn getopt(args: &[String], optstring: &str) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            i += 1;
            break;
        }
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            break;
        };
        let chars: Vec<char> = flags.chars().collect();
        let mut j = 0;
        while j < chars.len() {
            let c = chars[j];
            let spec = optstring.find(c).filter(|_| c != ':');
            let Some(pos) = spec else {
                return Err(format!("illegal option -- {c}"));
            };
            if optstring[pos + c.len_utf8()..].starts_with(':') {
                let rest: String = chars[j + 1..].iter().collect();
                let value = if !rest.is_empty() {
                    rest
                } else if i + 1 < args.len() {
                    i += 1;
                    args[i].clone()
                } else {
                    return Err(format!("option requires an argument -- {c}"));
                };
                out.opts.push((c, Some(value)));
                break;
            }
            out.opts.push((c, None));
            j += 1;
        }
        i += 1;
    }
    out.operands = args[i..].to_vec();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn clusters_arguments_and_operands() {
        let p = getopt(&v(&["-Ho", "state,fmri", "-a", "x", "-v"]), "aHo:v").unwrap();
        assert_eq!(
            p.opts,
            [('H', None), ('o', Some("state,fmri".into())), ('a', None)]
        );
        assert_eq!(p.operands, ["x", "-v"]);
        let p = getopt(&v(&["-ostate", "--", "-x"]), "o:x").unwrap();
        assert_eq!(p.opts, [('o', Some("state".into()))]);
        assert_eq!(p.operands, ["-x"]);
        assert_eq!(
            getopt(&v(&["-q"]), "ab").unwrap_err(),
            "illegal option -- q"
        );
        assert_eq!(
            getopt(&v(&["-o"]), "o:").unwrap_err(),
            "option requires an argument -- o"
        );
    }
}
