//! getopt(3C)/getopt_long as the network commands use them: options stop at the first
//! operand (no permutation), `--` ends them, bundled flags (`-pP`), attached or separate
//! values (`-ofoo`, `-o foo`), long options (`--output=foo`). With a leading `:` in the
//! option string a missing value is reported as such; without it, as an unknown option
//! (the commands run with opterr = 0 and print their own message).

/// What went wrong with one option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptError {
    /// The option as the message names it after a `-`: `q`, or `-bogus` for a long one.
    pub opt: String,
    /// The value is missing (only reported so with a leading `:` in the option string).
    pub missing: bool,
}

impl OptError {
    /// The text dladm's and ipadm's `die_opterr` print before `\nusage: …`.
    pub fn message(&self) -> String {
        if self.missing {
            format!("option '-{}' requires a value", self.opt)
        } else {
            format!("unrecognized option '-{}'", self.opt)
        }
    }
}

pub struct Getopt<'a> {
    args: &'a [String],
    optstring: &'a str,
    long: &'a [(&'a str, char)],
    /// Index of the next argument to look at; after the last option, the first operand.
    pub optind: usize,
    sub: usize,
}

impl<'a> Getopt<'a> {
    /// `args` excludes the command and subcommand names.
    pub fn new(args: &'a [String], optstring: &'a str, long: &'a [(&'a str, char)]) -> Self {
        Getopt {
            args,
            optstring,
            long,
            optind: 0,
            sub: 0,
        }
    }

    /// The operands after the options (valid once the iterator is exhausted).
    pub fn operands(&self) -> &'a [String] {
        &self.args[self.optind.min(self.args.len())..]
    }

    fn takes_value(&self, c: char) -> Option<bool> {
        let spec = self.optstring.trim_start_matches(':');
        let pos = spec.find(c).filter(|_| c != ':')?;
        Some(spec[pos + c.len_utf8()..].starts_with(':'))
    }

    fn report_missing(&self) -> bool {
        self.optstring.starts_with(':')
    }

    fn long_option(&mut self, body: &str) -> Result<(char, Option<String>), OptError> {
        self.optind += 1;
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (body, None),
        };
        let unknown = || OptError {
            opt: format!("-{name}"),
            missing: false,
        };
        let &(_, c) = self
            .long
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(unknown)?;
        match self.takes_value(c) {
            Some(true) => {
                if let Some(v) = inline {
                    return Ok((c, Some(v)));
                }
                match self.args.get(self.optind) {
                    Some(v) => {
                        self.optind += 1;
                        Ok((c, Some(v.clone())))
                    }
                    None => Err(OptError {
                        opt: format!("-{name}"),
                        missing: self.report_missing(),
                    }),
                }
            }
            Some(false) => Ok((c, None)),
            None => Err(unknown()),
        }
    }
}

impl Iterator for Getopt<'_> {
    type Item = Result<(char, Option<String>), OptError>;

    fn next(&mut self) -> Option<Self::Item> {
        let arg = self.args.get(self.optind)?;
        if self.sub == 0 {
            if arg == "--" {
                self.optind += 1;
                return None;
            }
            if !arg.starts_with('-') || arg == "-" {
                return None;
            }
            if let Some(body) = arg.strip_prefix("--") {
                return Some(self.long_option(body));
            }
            self.sub = 1;
        }
        let c = arg[self.sub..]
            .chars()
            .next()
            .expect("inside an option bundle");
        self.sub += c.len_utf8();
        let at_end = self.sub >= arg.len();
        let result = match self.takes_value(c) {
            None => Err(OptError {
                opt: c.to_string(),
                missing: false,
            }),
            Some(false) => Ok((c, None)),
            Some(true) if !at_end => {
                let value = arg[self.sub..].to_string();
                self.sub = arg.len();
                Ok((c, Some(value)))
            }
            Some(true) => match self.args.get(self.optind + 1) {
                Some(v) => {
                    self.optind += 1;
                    Ok((c, Some(v.clone())))
                }
                None => Err(OptError {
                    opt: c.to_string(),
                    missing: self.report_missing(),
                }),
            },
        };
        if self.sub >= arg.len() {
            self.sub = 0;
            self.optind += 1;
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn bundles_values_and_operands() {
        let a = args("-pPo link,over -l igb0 vnic0 -t");
        let mut g = Getopt::new(&a, ":pPo:l:t", &[]);
        let opts: Vec<_> = g.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            opts,
            [
                ('p', None),
                ('P', None),
                ('o', Some("link,over".into())),
                ('l', Some("igb0".into()))
            ]
        );
        assert_eq!(g.operands(), ["vnic0", "-t"]);
    }

    #[test]
    fn attached_values_long_options_and_double_dash() {
        let a = args("-ofoo --parsable --output=x --link igb0 -- -v");
        let long = [("parsable", 'p'), ("output", 'o'), ("link", 'l')];
        let mut g = Getopt::new(&a, ":po:l:", &long);
        let opts: Vec<_> = g.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(
            opts,
            [
                ('o', Some("foo".into())),
                ('p', None),
                ('o', Some("x".into())),
                ('l', Some("igb0".into()))
            ]
        );
        assert_eq!(g.operands(), ["-v"]);
    }

    #[test]
    fn errors_depend_on_the_leading_colon() {
        let a = args("-o");
        let err = Getopt::new(&a, ":o:", &[]).next().unwrap().unwrap_err();
        assert_eq!(err.message(), "option '-o' requires a value");
        let err = Getopt::new(&a, "o:", &[]).next().unwrap().unwrap_err();
        assert_eq!(err.message(), "unrecognized option '-o'");
        let a = args("-x");
        let err = Getopt::new(&a, ":o:", &[]).next().unwrap().unwrap_err();
        assert_eq!(err.message(), "unrecognized option '-x'");
        let a = args("--bogus");
        let err = Getopt::new(&a, ":o:", &[]).next().unwrap().unwrap_err();
        assert_eq!(err.message(), "unrecognized option '--bogus'");
    }
}
