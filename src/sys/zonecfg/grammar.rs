//! zonecfg's grammar (`zonecfg_grammar.y`) over the lexer's tokens, one command at a time
//! as yyparse() runs it, including the options each command parses with getopt() when it
//! runs (`create -b`, `delete -F`, `export -f FILE` …).

use super::lex::{Lexeme, Tok, tokenize};
use super::script::{Cmd, CreateFrom, InfoWhat, Prop, ResType, Stmt, Value};

/// The one-line usage zonecfg prints for a command (its help table's `short_usage`).
pub fn short_usage(cmd: Cmd) -> &'static str {
    match cmd {
        Cmd::Add => {
            "add <resource-type>\n\t(global scope)\nadd <property-name> <property-value>\n\t(resource scope)"
        }
        Cmd::Cancel => "cancel",
        Cmd::Clear => "clear <property-name>",
        Cmd::Commit => "commit",
        Cmd::Create => "create [-F] [ -a <path> | -b | -t <template> ]",
        Cmd::Delete => "delete [-F]",
        Cmd::End => "end",
        Cmd::Exit => "exit [-F]",
        Cmd::Export => "export [-f output-file]",
        Cmd::Help => "help [commands] [syntax] [usage] [<command-name>]",
        Cmd::Info => "info [<resource-type> [property-name=property-value]*]",
        Cmd::Remove => {
            "remove [-F] <resource-type> [ <property-name>=<property-value> ]*\n\t(global scope)\nremove <property-name> <property-value>\n\t(resource scope)"
        }
        Cmd::Revert => "revert [-F]",
        Cmd::Select => "select <resource-type> { <property-name>=<property-value> }",
        Cmd::Set => "set <property-name>=<property-value>",
        Cmd::Verify => "verify",
    }
}

/// What zonecfg prints after a usage line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageExtra {
    None,
    /// The resource types and their properties.
    ResProps,
    /// The property types.
    Props,
}

#[derive(Debug, Clone)]
pub(crate) enum ItemKind {
    Stmt(Stmt),
    /// yyerror("syntax error") at `near` (yytext); zonecfg says nothing when it is EOF.
    Syntax {
        near: String,
        /// lex_lineno when the error was seen.
        line: usize,
        at_eof: bool,
    },
    /// The command's usage, from the grammar or from its getopt(). `lineno` is lex_lineno
    /// then (zonecfg prints lex_lineno - 1 as the line).
    Usage {
        cmd: Cmd,
        extra: UsageExtra,
        lineno: usize,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub kind: ItemKind,
    /// 1-based line the command starts on.
    pub line: usize,
    /// lex_lineno after the command's terminator.
    pub lineno_after: usize,
}

struct Parser {
    toks: Vec<Lexeme>,
    pos: usize,
}

/// Why a command did not parse: the token at which the grammar failed, or a usage error.
enum Fail {
    At(usize),
    Usage(Cmd, UsageExtra),
}

type PResult<T> = Result<T, Fail>;

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].tok
    }

    fn bump(&mut self) -> Tok {
        let t = self.toks[self.pos].tok.clone();
        if !matches!(t, Tok::Eof) {
            self.pos += 1;
        }
        t
    }

    fn fail<T>(&self) -> PResult<T> {
        Err(Fail::At(self.pos))
    }

    fn at_term(&self) -> bool {
        matches!(self.peek(), Tok::Semi | Tok::Newline)
    }

    fn expect(&mut self, tok: Tok) -> PResult<()> {
        if *self.peek() == tok {
            self.bump();
            Ok(())
        } else {
            self.fail()
        }
    }

    fn expect_term(&self) -> PResult<()> {
        if self.at_term() { Ok(()) } else { self.fail() }
    }

    /// A TOKEN argument, if the next token is one.
    fn word(&mut self) -> Option<String> {
        match self.peek() {
            Tok::Word(w) => {
                let w = w.clone();
                self.bump();
                Some(w)
            }
            _ => None,
        }
    }

    /// Up to `max` TOKEN arguments, then the terminator.
    fn words(&mut self, max: usize) -> PResult<Vec<String>> {
        let mut out = Vec::new();
        while out.len() < max {
            match self.word() {
                Some(w) => out.push(w),
                None => break,
            }
        }
        self.expect_term()?;
        Ok(out)
    }

    fn simple(&mut self) -> PResult<String> {
        match self.bump() {
            Tok::Word(w) => Ok(w),
            Tok::Res(r) => Ok(r.as_str().into()),
            Tok::Prop(p) => Ok(p.as_str().into()),
            _ => {
                self.pos -= 1;
                self.fail()
            }
        }
    }

    fn complex(&mut self) -> PResult<Vec<(Prop, String)>> {
        self.expect(Tok::OpenParen)?;
        let mut pieces = Vec::new();
        loop {
            let Tok::Prop(p) = self.peek().clone() else {
                return self.fail();
            };
            self.bump();
            self.expect(Tok::Eq)?;
            pieces.push((p, self.simple()?));
            match self.bump() {
                Tok::Comma => continue,
                Tok::CloseParen => return Ok(pieces),
                _ => {
                    self.pos -= 1;
                    return self.fail();
                }
            }
        }
    }

    fn value(&mut self) -> PResult<Value> {
        match self.peek() {
            Tok::OpenParen => Ok(Value::Complex(self.complex()?)),
            Tok::OpenSq => {
                self.bump();
                let mut items = Vec::new();
                loop {
                    let item = match self.peek() {
                        Tok::OpenParen => Value::Complex(self.complex()?),
                        _ => Value::Simple(self.simple()?),
                    };
                    items.push(item);
                    match self.bump() {
                        Tok::Comma => continue,
                        Tok::CloseSq => return Ok(Value::List(items)),
                        _ => {
                            self.pos -= 1;
                            return self.fail();
                        }
                    }
                }
            }
            _ => Ok(Value::Simple(self.simple()?)),
        }
    }

    /// `prop=value` pairs (one to three), then the terminator.
    fn pairs(&mut self) -> PResult<Vec<(Prop, Value)>> {
        let mut out = Vec::new();
        while out.len() < 3 {
            let Tok::Prop(p) = self.peek().clone() else {
                break;
            };
            self.bump();
            self.expect(Tok::Eq)?;
            out.push((p, self.value()?));
        }
        self.expect_term()?;
        Ok(out)
    }

    fn command(&mut self, cmd: Cmd) -> PResult<Stmt> {
        let usage = |extra| Err(Fail::Usage(cmd, extra));
        match cmd {
            Cmd::Add => match self.peek().clone() {
                _ if self.at_term() => usage(UsageExtra::ResProps),
                Tok::Word(_) => {
                    self.words(1)?;
                    usage(UsageExtra::None)
                }
                Tok::Res(r) => {
                    self.bump();
                    self.expect_term()?;
                    Ok(Stmt::Add(r))
                }
                Tok::Prop(p) => {
                    self.bump();
                    let v = self.value()?;
                    self.expect_term()?;
                    Ok(Stmt::AddProp(p, v))
                }
                _ => self.fail(),
            },
            Cmd::Cancel | Cmd::Commit | Cmd::End => {
                if self.words(1)?.is_empty() {
                    Ok(match cmd {
                        Cmd::Cancel => Stmt::Cancel,
                        Cmd::Commit => Stmt::Commit,
                        _ => Stmt::End,
                    })
                } else {
                    usage(UsageExtra::None)
                }
            }
            Cmd::Delete | Cmd::Exit | Cmd::Revert => {
                let args = self.words(1)?;
                let Ok((opts, rest)) = getopt(&args, "?F") else {
                    return usage(UsageExtra::None);
                };
                if !rest.is_empty() || opts.iter().any(|(c, _)| *c == '?') {
                    return usage(UsageExtra::None);
                }
                let force = !opts.is_empty();
                Ok(match cmd {
                    Cmd::Delete => Stmt::Delete { force },
                    Cmd::Exit => Stmt::Exit { force },
                    _ => Stmt::Revert { force },
                })
            }
            Cmd::Verify => {
                let args = self.words(1)?;
                match args.first().map(String::as_str) {
                    // verify_func treats a first argument "save" as commit does.
                    Some("save") => Ok(Stmt::Commit),
                    Some(a) if a.starts_with('-') && a.len() > 1 => usage(UsageExtra::None),
                    _ => Ok(Stmt::Verify),
                }
            }
            Cmd::Help => Ok(Stmt::Help(self.words(1)?.pop())),
            Cmd::Create => {
                let args = self.words(3)?;
                let Ok((opts, rest)) = getopt(&args, "?a:bFt:") else {
                    return usage(UsageExtra::None);
                };
                if !rest.is_empty() {
                    return usage(UsageExtra::None);
                }
                let (mut force, mut from, mut attach) = (false, CreateFrom::Default, None);
                for (c, arg) in opts {
                    match c {
                        'F' => force = true,
                        'b' => from = CreateFrom::Blank,
                        't' => from = CreateFrom::Template(arg.unwrap_or_default()),
                        'a' => attach = arg,
                        _ => return usage(UsageExtra::None),
                    }
                }
                if let Some(path) = attach {
                    from = CreateFrom::Attach(path);
                }
                Ok(Stmt::Create { force, from })
            }
            Cmd::Export => {
                let args = self.words(2)?;
                let Ok((opts, rest)) = getopt(&args, "?f:") else {
                    return usage(UsageExtra::None);
                };
                if !rest.is_empty() || opts.iter().any(|(c, _)| *c == '?') {
                    return usage(UsageExtra::None);
                }
                let file = opts.into_iter().filter_map(|(_, a)| a).next_back();
                Ok(Stmt::Export { file })
            }
            Cmd::Info => match self.peek().clone() {
                _ if self.at_term() => Ok(Stmt::Info(InfoWhat::All)),
                Tok::Word(_) => {
                    self.words(1)?;
                    usage(UsageExtra::ResProps)
                }
                Tok::Res(r) => {
                    self.bump();
                    Ok(Stmt::Info(InfoWhat::Res(r, self.pairs()?)))
                }
                Tok::Prop(p) if info_prop(p) => {
                    self.bump();
                    self.expect_term()?;
                    Ok(Stmt::Info(InfoWhat::Prop(p)))
                }
                _ => self.fail(),
            },
            Cmd::Remove => self.remove(),
            Cmd::Select => match self.peek().clone() {
                _ if self.at_term() => usage(UsageExtra::ResProps),
                Tok::Res(r) => {
                    self.bump();
                    if self.at_term() {
                        return match r {
                            ResType::DedicatedCpu | ResType::CappedCpu | ResType::CappedMemory => {
                                Ok(Stmt::Select(r, Vec::new()))
                            }
                            _ => usage(UsageExtra::None),
                        };
                    }
                    let pairs = self.pairs()?;
                    if pairs.is_empty() {
                        return self.fail();
                    }
                    Ok(Stmt::Select(r, pairs))
                }
                _ => self.fail(),
            },
            Cmd::Set => self.set(),
            Cmd::Clear => match self.peek().clone() {
                _ if self.at_term() => usage(UsageExtra::Props),
                Tok::Prop(p) => {
                    self.bump();
                    self.expect_term()?;
                    Ok(Stmt::Clear(p))
                }
                _ => self.fail(),
            },
        }
    }

    fn remove(&mut self) -> PResult<Stmt> {
        let usage = |extra| Err(Fail::Usage(Cmd::Remove, extra));
        match self.peek().clone() {
            _ if self.at_term() => usage(UsageExtra::ResProps),
            Tok::Word(w) => {
                self.bump();
                let Tok::Res(res) = self.peek().clone() else {
                    self.expect_term()?;
                    return usage(UsageExtra::ResProps);
                };
                self.bump();
                self.expect_term()?;
                // remove_resource's getopt("?F"): a non-option word is silently ignored.
                let force = match getopt(std::slice::from_ref(&w), "?F") {
                    Ok((opts, _)) if opts.iter().any(|(c, _)| *c == '?') => {
                        return usage(UsageExtra::None);
                    }
                    Ok((opts, _)) => !opts.is_empty(),
                    Err(_) => return usage(UsageExtra::None),
                };
                Ok(Stmt::Remove {
                    force,
                    res,
                    filter: Vec::new(),
                })
            }
            Tok::Res(res) => {
                self.bump();
                Ok(Stmt::Remove {
                    force: false,
                    res,
                    filter: self.pairs()?,
                })
            }
            Tok::Prop(p) => {
                self.bump();
                let v = self.value()?;
                self.expect_term()?;
                Ok(Stmt::RemoveProp(p, v))
            }
            _ => self.fail(),
        }
    }

    fn set(&mut self) -> PResult<Stmt> {
        match self.peek().clone() {
            _ if self.at_term() => Err(Fail::Usage(Cmd::Set, UsageExtra::Props)),
            Tok::Prop(prop) => {
                self.bump();
                self.expect(Tok::Eq)?;
                if *self.peek() == Tok::OpenSq && self.toks[self.pos + 1].tok == Tok::CloseSq {
                    self.pos += 2;
                    self.expect_term()?;
                    return Ok(Stmt::Set {
                        prop,
                        value: Value::List(Vec::new()),
                        force: false,
                    });
                }
                let value = self.value()?;
                self.expect_term()?;
                Ok(Stmt::Set {
                    prop,
                    value,
                    force: false,
                })
            }
            Tok::Word(w) => {
                self.bump();
                self.expect(Tok::Prop(Prop::Zonepath))?;
                self.expect(Tok::Eq)?;
                let value = self.value()?;
                self.expect_term()?;
                // set_func's getopt("F") with opterr off ignores a non-option word.
                let force = match getopt(std::slice::from_ref(&w), "F") {
                    Ok((opts, _)) => !opts.is_empty(),
                    Err(_) => return Err(Fail::Usage(Cmd::Set, UsageExtra::None)),
                };
                Ok(Stmt::Set {
                    prop: Prop::Zonepath,
                    value,
                    force,
                })
            }
            _ => self.fail(),
        }
    }
}

/// Global properties `info` accepts by name.
fn info_prop(p: Prop) -> bool {
    use Prop::*;
    matches!(
        p,
        Zonename
            | Zonepath
            | Brand
            | Autoboot
            | IpType
            | Pool
            | Limitpriv
            | Bootargs
            | SchedulingClass
            | CpuShares
            | MaxLwps
            | MaxProcesses
            | MaxShmMemory
            | MaxShmIds
            | MaxMsgIds
            | MaxSemIds
            | Hostid
            | FsAllowed
            | ZfsIoPriority
    )
}

/// Options getopt() found, with their arguments.
pub(crate) type Options = Vec<(char, Option<String>)>;

/// A getopt() over a command's words: options (with their arguments) and the words left
/// after the first non-option. An unknown option or a missing argument is an error.
pub(crate) fn getopt(args: &[String], spec: &str) -> Result<(Options, Vec<String>), char> {
    let mut opts = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) else {
            break;
        };
        for (at, c) in flags.char_indices() {
            let pos = spec.find(c).filter(|_| c != ':').ok_or(c)?;
            if spec[pos + c.len_utf8()..].starts_with(':') {
                let attached = &flags[at + c.len_utf8()..];
                let arg = if !attached.is_empty() {
                    attached.to_string()
                } else {
                    i += 1;
                    args.get(i).cloned().ok_or(c)?
                };
                opts.push((c, Some(arg)));
                break;
            }
            opts.push((c, None));
        }
        i += 1;
    }
    Ok((opts, args[i.min(args.len())..].to_vec()))
}

/// Parse a whole text into commands, as successive yyparse() calls would.
pub(crate) fn parse_items(text: &str) -> Vec<Item> {
    let mut p = Parser {
        toks: tokenize(text),
        pos: 0,
    };
    let mut items = Vec::new();
    loop {
        let start = p.pos;
        let line = p.toks[start].lineno;
        let kind = match p.peek().clone() {
            Tok::Eof => break,
            Tok::Semi | Tok::Newline => {
                p.bump();
                continue;
            }
            Tok::Cmd(cmd) => {
                p.bump();
                match p.command(cmd) {
                    Ok(stmt) => ItemKind::Stmt(stmt),
                    Err(Fail::Usage(cmd, extra)) => ItemKind::Usage {
                        cmd,
                        extra,
                        lineno: 0,
                    },
                    Err(Fail::At(at)) => syntax(&p.toks[at]),
                }
            }
            _ => syntax(&p.toks[start]),
        };
        // Skip what is left of the command (error recovery), then take the terminator.
        while !p.at_term() && *p.peek() != Tok::Eof {
            p.bump();
        }
        let at_eof = *p.peek() == Tok::Eof;
        let lineno_after = p.toks[p.pos].lineno;
        let kind = match kind {
            // A command cut off by the end of input never reaches its handler: bison
            // reports the missing terminator at EOF, which zonecfg does not print.
            ItemKind::Stmt(_) | ItemKind::Usage { .. } if at_eof => ItemKind::Syntax {
                near: String::new(),
                line: lineno_after,
                at_eof: true,
            },
            ItemKind::Usage { cmd, extra, .. } => ItemKind::Usage {
                cmd,
                extra,
                lineno: lineno_after,
            },
            k => k,
        };
        p.bump();
        items.push(Item {
            kind,
            line,
            lineno_after,
        });
    }
    items
}

fn syntax(lx: &Lexeme) -> ItemKind {
    ItemKind::Syntax {
        near: lx.text.clone(),
        line: lx.lineno,
        at_eof: lx.tok == Tok::Eof,
    }
}

#[cfg(test)]
#[path = "grammar_tests.rs"]
mod tests;
