//! The zonecfg lexer, state for state as OmniOS's `zonecfg_lex.l` behaves:
//!
//! - INITIAL (start of a command): `#` comments, command words (longest prefix wins, so
//!   `addx` lexes as `add` then `x`), anything else is a one-character token.
//! - TSTATE (after a command word): resource and property keywords, `=`, `[`, `(`, and
//!   words of any characters but blanks, `"`, `;`, `=`, `[`, `]`, `(`, `)`.
//! - LSTATE (inside `[…]`): no keywords; words may not contain `,`.
//! - CSTATE (inside `(…)`): property keywords only; words may contain `[` and `]`.
//!
//! A quoted string is `"` up to the next `"` or newline; there is no escape, so a value
//! can never hold `"` or a newline. A `;` or newline ends the command in every state.

use super::script::{Cmd, Prop, ResType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    Cmd(Cmd),
    Res(ResType),
    Prop(Prop),
    Word(String),
    Eq,
    OpenSq,
    CloseSq,
    OpenParen,
    CloseParen,
    Comma,
    Semi,
    Newline,
    /// Any other single character (flex's `.` rule).
    Char(char),
    Eof,
}

#[derive(Debug, Clone)]
pub(crate) struct Lexeme {
    pub tok: Tok,
    /// flex's yytext, as zonecfg's error messages quote it.
    pub text: String,
    /// flex's lex_lineno once this token has been read (newlines counted so far, plus one).
    pub lineno: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    T,
    L,
    C,
}

const COMMANDS: &[(&str, Cmd)] = &[
    ("add", Cmd::Add),
    ("cancel", Cmd::Cancel),
    ("commit", Cmd::Commit),
    ("create", Cmd::Create),
    ("delete", Cmd::Delete),
    ("end", Cmd::End),
    ("exit", Cmd::Exit),
    ("export", Cmd::Export),
    ("?", Cmd::Help),
    ("help", Cmd::Help),
    ("info", Cmd::Info),
    ("remove", Cmd::Remove),
    ("revert", Cmd::Revert),
    ("select", Cmd::Select),
    ("set", Cmd::Set),
    ("clear", Cmd::Clear),
    ("verify", Cmd::Verify),
];

fn is_word_char(c: char, state: State) -> bool {
    let common = !matches!(c, ' ' | '\t' | '\n' | '"' | ';' | '=' | '(' | ')');
    match state {
        State::T => common && c != '[' && c != ']',
        State::L => common && c != '[' && c != ']' && c != ',',
        State::C => common && c != ',',
        State::Initial => false,
    }
}

/// Split a whole input into tokens, ending with `Eof`.
pub(crate) fn tokenize(input: &str) -> Vec<Lexeme> {
    let mut out = Vec::new();
    let mut state = State::Initial;
    // Where a `)` returns to: TSTATE, or LSTATE for a complex value inside a list.
    let mut outer = State::T;
    let mut lineno = 1;
    let mut rest = input;
    while let Some(c) = rest.chars().next() {
        let mut push = |tok: Tok, len: usize, rest: &mut &str, lineno: usize| {
            out.push(Lexeme {
                tok,
                text: rest[..len].to_string(),
                lineno,
            });
            *rest = &rest[len..];
        };
        match c {
            ' ' | '\t' => {
                rest = &rest[1..];
                continue;
            }
            '\n' => {
                lineno += 1;
                state = State::Initial;
                push(Tok::Newline, 1, &mut rest, lineno);
                continue;
            }
            ';' => {
                state = State::Initial;
                push(Tok::Semi, 1, &mut rest, lineno);
                continue;
            }
            _ => {}
        }
        if state == State::Initial {
            if c == '#' {
                let end = rest.find('\n').unwrap_or(rest.len());
                rest = &rest[end..];
                continue;
            }
            let found = COMMANDS
                .iter()
                .filter(|(w, _)| rest.starts_with(w))
                .max_by_key(|(w, _)| w.len());
            if let Some((word, cmd)) = found {
                state = State::T;
                outer = State::T;
                push(Tok::Cmd(*cmd), word.len(), &mut rest, lineno);
            } else {
                push(Tok::Char(c), c.len_utf8(), &mut rest, lineno);
            }
            continue;
        }
        match (c, state) {
            ('=', _) => push(Tok::Eq, 1, &mut rest, lineno),
            ('[', State::T) => {
                state = State::L;
                outer = State::L;
                push(Tok::OpenSq, 1, &mut rest, lineno);
            }
            (']', State::L) => {
                state = State::T;
                outer = State::T;
                push(Tok::CloseSq, 1, &mut rest, lineno);
            }
            ('(', State::T | State::L) => {
                state = State::C;
                push(Tok::OpenParen, 1, &mut rest, lineno);
            }
            (')', State::C) => {
                state = outer;
                push(Tok::CloseParen, 1, &mut rest, lineno);
            }
            (',', State::L | State::C) => push(Tok::Comma, 1, &mut rest, lineno),
            ('"', _) => {
                // "[^"\n]*["\n]: without a closing quote or newline the rule fails and the
                // quote is a lone character token.
                let body = &rest[1..];
                match body.find(['"', '\n']) {
                    Some(end) => {
                        let closing = body.as_bytes()[end] == b'"';
                        let value = if closing {
                            body[..end].to_string()
                        } else {
                            // The newline becomes part of the value and is not counted.
                            body[..=end].to_string()
                        };
                        push(Tok::Word(value), end + 2, &mut rest, lineno);
                    }
                    None => push(Tok::Char('"'), 1, &mut rest, lineno),
                }
            }
            _ if is_word_char(c, state) => {
                let len = rest
                    .find(|ch: char| !is_word_char(ch, state))
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                let tok = keyword(word, state).unwrap_or_else(|| Tok::Word(word.to_string()));
                push(tok, len, &mut rest, lineno);
            }
            _ => push(Tok::Char(c), c.len_utf8(), &mut rest, lineno),
        }
    }
    out.push(Lexeme {
        tok: Tok::Eof,
        text: String::new(),
        lineno,
    });
    out
}

fn keyword(word: &str, state: State) -> Option<Tok> {
    match state {
        State::T => ResType::from_keyword(word)
            .map(Tok::Res)
            .or_else(|| Prop::from_keyword(word).map(Tok::Prop)),
        State::C => Prop::from_keyword(word).map(Tok::Prop),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).into_iter().map(|l| l.tok).collect()
    }

    #[test]
    fn states_decide_what_is_a_keyword() {
        assert_eq!(
            toks("set physical=net0;add net\n"),
            [
                Tok::Cmd(Cmd::Set),
                Tok::Prop(Prop::Physical),
                Tok::Eq,
                Tok::Word("net0".into()),
                Tok::Semi,
                Tok::Cmd(Cmd::Add),
                Tok::Res(ResType::Net),
                Tok::Newline,
                Tok::Eof
            ]
        );
        // Inside a list nothing is a keyword; inside parentheses resource types are words.
        assert_eq!(
            toks("set options=[net,ro]")[3..8],
            [
                Tok::OpenSq,
                Tok::Word("net".into()),
                Tok::Comma,
                Tok::Word("ro".into()),
                Tok::CloseSq
            ]
        );
        assert_eq!(
            toks("add property (name=net,value=\"a b;c\")")[2..9],
            [
                Tok::OpenParen,
                Tok::Prop(Prop::Name),
                Tok::Eq,
                Tok::Word("net".into()),
                Tok::Comma,
                Tok::Prop(Prop::Value),
                Tok::Eq
            ]
        );
    }

    #[test]
    fn quotes_have_no_escapes_and_comments_only_start_commands() {
        let t = toks("set value=\"a;end #x\" # not a comment\n# comment\n");
        assert_eq!(t[3], Tok::Word("a;end #x".into()));
        assert_eq!(t[4], Tok::Word("#".into()));
        assert_eq!(t[t.len() - 2], Tok::Newline);
        // An unterminated quote swallows the newline; at EOF it is a lone character.
        assert_eq!(toks("set value=\"ab\nx")[3], Tok::Word("ab\n".into()));
        assert_eq!(toks("set value=\"ab")[3], Tok::Char('"'));
    }

    #[test]
    fn command_words_match_as_prefixes_and_lines_are_counted() {
        let l = tokenize("addx\n\nfoo");
        assert_eq!(l[0].tok, Tok::Cmd(Cmd::Add));
        assert_eq!(l[1].tok, Tok::Word("x".into()));
        assert_eq!(l[4].tok, Tok::Char('f'));
        assert_eq!(l[4].lineno, 3);
    }
}
