//! POSIX getopt(3) as illumos implements it: options end at the first operand (no
//! permuting), `--` ends them explicitly, an option's argument is the rest of its word or
//! the next word.

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Opt {
    Flag(char),
    Arg(char, String),
    /// Not in the option string (`?`, optopt).
    Unknown(char),
    /// Needs an argument and none followed (`:` with a leading `:` in the spec).
    Missing(char),
}

pub(crate) struct Getopt<'a> {
    args: &'a [String],
    spec: &'a str,
    /// Index of the next word to look at; after the last option, the first operand.
    pub optind: usize,
    pos: usize,
}

impl<'a> Getopt<'a> {
    pub(crate) fn new(args: &'a [String], spec: &'a str) -> Self {
        Getopt {
            args,
            spec: spec.trim_start_matches(':'),
            optind: 0,
            pos: 0,
        }
    }

    /// The words after the options.
    pub(crate) fn operands(&self) -> &'a [String] {
        &self.args[self.optind.min(self.args.len())..]
    }

    fn takes_arg(&self, c: char) -> Option<bool> {
        let i = self.spec.find(c)?;
        Some(self.spec[i + c.len_utf8()..].starts_with(':'))
    }
}

impl Iterator for Getopt<'_> {
    type Item = Opt;

    fn next(&mut self) -> Option<Opt> {
        if self.pos == 0 {
            let word = self.args.get(self.optind)?;
            if word == "--" {
                self.optind += 1;
                return None;
            }
            if !word.starts_with('-') || word == "-" {
                return None;
            }
            self.pos = 1;
        }
        let word = &self.args[self.optind];
        let c = word[self.pos..].chars().next().expect("pos inside word");
        self.pos += c.len_utf8();
        let at_end = self.pos >= word.len();
        let advance = |g: &mut Self| {
            g.optind += 1;
            g.pos = 0;
        };
        let takes = if c == ':' { None } else { self.takes_arg(c) };
        match takes {
            None => {
                if at_end {
                    advance(self);
                }
                Some(Opt::Unknown(c))
            }
            Some(false) => {
                if at_end {
                    advance(self);
                }
                Some(Opt::Flag(c))
            }
            Some(true) => {
                let value = if !at_end {
                    let v = word[self.pos..].to_string();
                    advance(self);
                    Some(v)
                } else {
                    advance(self);
                    let v = self.args.get(self.optind).cloned();
                    if v.is_some() {
                        self.optind += 1;
                    }
                    v
                };
                Some(match value {
                    Some(v) => Opt::Arg(c, v),
                    None => Opt::Missing(c),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_like_posix_getopt() {
        let args = words("-rHo name,used -pd2 rpool -r");
        let mut g = Getopt::new(&args, ":d:o:rHp");
        let opts: Vec<Opt> = g.by_ref().collect();
        assert_eq!(
            opts,
            [
                Opt::Flag('r'),
                Opt::Flag('H'),
                Opt::Arg('o', "name,used".into()),
                Opt::Flag('p'),
                Opt::Arg('d', "2".into()),
            ]
        );
        assert_eq!(g.operands(), ["rpool", "-r"]);
    }

    #[test]
    fn unknown_missing_and_double_dash() {
        let args = words("-x -o");
        let opts: Vec<Opt> = Getopt::new(&args, "o:").collect();
        assert_eq!(opts, [Opt::Unknown('x'), Opt::Missing('o')]);
        let args = words("-r -- -p");
        let mut g = Getopt::new(&args, "rp");
        assert_eq!(g.by_ref().collect::<Vec<_>>(), [Opt::Flag('r')]);
        assert_eq!(g.operands(), ["-p"]);
        let args = words("-V 10G -s rpool/v");
        let mut g = Getopt::new(&args, ":V:b:so:p");
        assert_eq!(
            g.by_ref().collect::<Vec<_>>(),
            [Opt::Arg('V', "10G".into()), Opt::Flag('s')]
        );
        assert_eq!(g.operands(), ["rpool/v"]);
    }
}
