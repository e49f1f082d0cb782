//! svccfg's lexer: words, double-quoted strings (with `\"` and `\\` escapes), `=`, `(`
//! and `)`; `#` starts a comment. A value in quotes keeps the fact that it was quoted,
//! since svccfg demands quotes for string values in a list.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum T {
    Word(String),
    Quoted(String),
    Eq,
    Open,
    Close,
}

impl T {
    /// The token as a value: its text and whether it was quoted.
    pub fn value(&self) -> Option<(&str, bool)> {
        match self {
            T::Word(w) => Some((w, false)),
            T::Quoted(q) => Some((q, true)),
            _ => None,
        }
    }
}

/// Tokens of one statement; Err when a quote is left open.
pub fn lex(line: &str) -> Result<Vec<T>, ()> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '#' => break,
            '=' => {
                chars.next();
                out.push(T::Eq);
            }
            '(' => {
                chars.next();
                out.push(T::Open);
            }
            ')' => {
                chars.next();
                out.push(T::Close);
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('\\') => match chars.next() {
                            Some(n @ ('"' | '\\')) => s.push(n),
                            Some(n) => {
                                s.push('\\');
                                s.push(n);
                            }
                            None => return Err(()),
                        },
                        Some('"') => break,
                        Some(n) => s.push(n),
                        None => return Err(()),
                    }
                }
                out.push(T::Quoted(s));
            }
            _ => {
                let mut w = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || "=()\"#".contains(n) {
                        break;
                    }
                    w.push(n);
                    chars.next();
                }
                out.push(T::Word(w));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(
            lex(r#"setprop config/x = astring: ("a b" "c\"d" e) # note"#).unwrap(),
            [
                T::Word("setprop".into()),
                T::Word("config/x".into()),
                T::Eq,
                T::Word("astring:".into()),
                T::Open,
                T::Quoted("a b".into()),
                T::Quoted("c\"d".into()),
                T::Word("e".into()),
                T::Close,
            ]
        );
        assert!(lex("setprop a/b = \"open").is_err());
    }
}
