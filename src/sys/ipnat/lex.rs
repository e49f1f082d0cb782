//! The ipf lexer as ipnat uses it: newlines are plain whitespace (a rule may span lines and
//! ends where the next one starts or at `;`), `#` comments run to the end of the line,
//! numbers are digit runs (so `10.1.2.3` is four numbers and three dots), and words are
//! matched case-insensitively against ipnat's keywords.

/// ipnat's keywords (`yywords` in ipnat_y.y), excluding the comparison words.
pub const KEYWORDS: [&str; 27] = [
    "age",
    "any",
    "auto",
    "bimap",
    "frag",
    "from",
    "icmpidmap",
    "mask",
    "map",
    "map-block",
    "mssclamp",
    "netmask",
    "port",
    "portmap",
    "ports",
    "proxy",
    "range",
    "rdr",
    "round-robin",
    "sequential",
    "sticky",
    "tag",
    "tcp",
    "tcpudp",
    "to",
    "udp",
    "->",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Num(u64),
    Hex(u64),
    /// A word that is not a keyword (interface names, host names, tags).
    Str(String),
    /// A keyword, lower-cased.
    Key(&'static str),
    /// One of `= , / ; { } ( ) @ . - ! :`.
    Sym(char),
    /// Port comparisons: `!=`, `<`, `>`, `<=`, `>=` (and the words eq/ne/lt/gt/le/ge).
    Cmp(&'static str),
    /// Port ranges `<>` and `><`.
    Range(&'static str),
    Comment,
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    /// What yyerror quotes for this token.
    pub text: String,
    /// 1-based line; the lexer resets it to 1 at end of file, and so does the token.
    pub line: usize,
}

fn is_special(c: char) -> bool {
    "=,/;{}()@".contains(c)
}

fn breaks_word(c: char) -> bool {
    c.is_whitespace() || is_special(c) || "#\"'!<>:".contains(c)
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let push = |out: &mut Vec<Token>, tok: Tok, text: String, line: usize| {
        out.push(Token { tok, text, line });
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let next = chars.get(i + 1).copied();
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                push(&mut out, Tok::Comment, "#".into(), line);
            }
            '"' | '\'' => {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                let s: String = chars[start + 1..i.min(chars.len())].iter().collect();
                i += 1;
                push(&mut out, Tok::Str(s.clone()), s, line);
            }
            c if is_special(c) || c == '.' || c == ':' => {
                i += 1;
                push(&mut out, Tok::Sym(c), c.to_string(), line);
            }
            '-' if next == Some('>') => {
                i += 2;
                push(&mut out, Tok::Key("->"), "->".into(), line);
            }
            '-' => {
                i += 1;
                push(&mut out, Tok::Sym('-'), "-".into(), line);
            }
            '!' | '<' | '>' => {
                i += 1;
                let (tok, txt) = match (c, next) {
                    ('!', Some('=')) => (Tok::Cmp("!="), "!="),
                    ('<', Some('=')) => (Tok::Cmp("<="), "<="),
                    ('>', Some('=')) => (Tok::Cmp(">="), ">="),
                    ('<', Some('>')) => (Tok::Range("<>"), "<>"),
                    ('>', Some('<')) => (Tok::Range("><"), "><"),
                    ('!', _) => (Tok::Sym('!'), "!"),
                    ('<', _) => (Tok::Cmp("<"), "<"),
                    _ => (Tok::Cmp(">"), ">"),
                };
                i += txt.len() - 1;
                push(&mut out, tok, txt.into(), line);
            }
            '0' if next == Some('x') => {
                i += 2;
                while i < chars.len() && chars[i].is_ascii_hexdigit() {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                let v = u64::from_str_radix(&s[2..], 16).unwrap_or(0);
                push(&mut out, Tok::Hex(v), s, line);
            }
            c if c.is_ascii_digit() => {
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                let v = s.parse::<u64>().unwrap_or(u64::MAX);
                push(&mut out, Tok::Num(v), s, line);
            }
            _ => {
                while i < chars.len() && !breaks_word(chars[i]) {
                    i += 1;
                }
                let s: String = chars[start..i].iter().collect();
                let lower = s.to_ascii_lowercase();
                let tok = if let Some(k) = KEYWORDS.iter().find(|k| **k == lower) {
                    Tok::Key(k)
                } else if let Some(op) = word_cmp(&lower) {
                    Tok::Cmp(op)
                } else {
                    Tok::Str(s.clone())
                };
                let text = match tok {
                    Tok::Key(k) => k.to_string(),
                    _ => s,
                };
                push(&mut out, tok, text, line);
            }
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        text: String::new(),
        line: 1,
    });
    out
}

fn word_cmp(w: &str) -> Option<&'static str> {
    Some(match w {
        "eq" => "=",
        "ne" => "!=",
        "lt" => "<",
        "gt" => ">",
        "le" => "<=",
        "ge" => ">=",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize(s).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn addresses_are_numbers_and_dots_and_arrows_are_keywords() {
        assert_eq!(
            toks("map igb0 10.1.2.0/24 -> 0/32 portmap tcp/udp auto"),
            [
                Tok::Key("map"),
                Tok::Str("igb0".into()),
                Tok::Num(10),
                Tok::Sym('.'),
                Tok::Num(1),
                Tok::Sym('.'),
                Tok::Num(2),
                Tok::Sym('.'),
                Tok::Num(0),
                Tok::Sym('/'),
                Tok::Num(24),
                Tok::Key("->"),
                Tok::Num(0),
                Tok::Sym('/'),
                Tok::Num(32),
                Tok::Key("portmap"),
                Tok::Key("tcp"),
                Tok::Sym('/'),
                Tok::Key("udp"),
                Tok::Key("auto"),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn comments_lines_and_words_with_dashes() {
        let t = tokenize("# hello\nMAP-BLOCK e1000g0 # tail\n  round-robin 1000-2000 0xff");
        assert_eq!(t[0].tok, Tok::Comment);
        assert_eq!(t[1].tok, Tok::Key("map-block"));
        assert_eq!(t[1].line, 2);
        assert_eq!(t[2].tok, Tok::Str("e1000g0".into()));
        assert_eq!(t[3].tok, Tok::Comment);
        assert_eq!(t[4].tok, Tok::Key("round-robin"));
        assert_eq!(t[4].line, 3);
        assert_eq!(t[5].tok, Tok::Num(1000));
        assert_eq!(t[6].tok, Tok::Sym('-'));
        assert_eq!(t[8].tok, Tok::Hex(255));
        assert_eq!(t.last().unwrap().line, 1);
    }
}
