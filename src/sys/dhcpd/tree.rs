//! A lossless syntax tree of an ISC dhcpd.conf: statements (`…;`) and blocks (`… { … }`),
//! each with the whitespace and comments before it, so that rendering an unchanged tree
//! gives back the exact text and edits touch only the nodes they change.

use super::super::ParseError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Whitespace and comments before the node.
    pub lead: String,
    /// 1-based line where the node's text starts.
    pub line: usize,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// The statement's text, from its first word to its `;`.
    Stmt(String),
    /// `head` runs from the first word to the `{`; `tail` is what precedes the `}`.
    Block {
        head: String,
        children: Vec<Node>,
        tail: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub nodes: Vec<Node>,
    /// Whitespace and comments after the last node.
    pub tail: String,
}

impl Node {
    /// The words of the statement or block head: comments dropped, quoted strings as one
    /// word without their quotes, `,` as a word of its own, the final `;`/`{` dropped.
    pub fn words(&self) -> Vec<String> {
        match &self.body {
            Body::Stmt(t) => words(t),
            Body::Block { head, .. } => words(head),
        }
    }

    pub fn children(&self) -> &[Node] {
        match &self.body {
            Body::Block { children, .. } => children,
            Body::Stmt(_) => &[],
        }
    }

    pub fn children_mut(&mut self) -> Option<&mut Vec<Node>> {
        match &mut self.body {
            Body::Block { children, .. } => Some(children),
            Body::Stmt(_) => None,
        }
    }

    pub fn is_block(&self) -> bool {
        matches!(self.body, Body::Block { .. })
    }

    /// The comments of the lead, without the whitespace after the last one.
    pub fn lead_comments(&self) -> &str {
        match self.lead.rfind('#') {
            Some(i) => {
                let end = self.lead[i..].find('\n').map_or(self.lead.len(), |n| i + n);
                &self.lead[..end]
            }
            None => "",
        }
    }

    /// The indentation of the line the node starts on.
    pub fn indent(&self) -> &str {
        let last = self.lead.rsplit('\n').next().unwrap_or_default();
        if last.trim().is_empty() { last } else { "" }
    }

    fn render(&self, out: &mut String) {
        out.push_str(&self.lead);
        match &self.body {
            Body::Stmt(t) => out.push_str(t),
            Body::Block {
                head,
                children,
                tail,
            } => {
                out.push_str(head);
                for c in children {
                    c.render(out);
                }
                out.push_str(tail);
                out.push('}');
            }
        }
    }
}

impl Doc {
    pub fn render(&self) -> String {
        let mut out = String::new();
        for n in &self.nodes {
            n.render(&mut out);
        }
        out.push_str(&self.tail);
        out
    }
}

pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                flush(&mut cur, &mut out);
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                flush(&mut cur, &mut out);
                let mut s = String::new();
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => s.extend(chars.next()),
                        '"' => break,
                        n => s.push(n),
                    }
                }
                out.push(s);
            }
            ',' => {
                flush(&mut cur, &mut out);
                out.push(",".into());
            }
            ';' | '{' => flush(&mut cur, &mut out),
            c if c.is_whitespace() => flush(&mut cur, &mut out),
            c => cur.push(c),
        }
    }
    flush(&mut cur, &mut out);
    out
}

struct Parser<'a> {
    src: &'a str,
    chars: Vec<(usize, char)>,
    pos: usize,
    line: usize,
    source: &'a str,
}

pub fn parse(text: &str, source: &str) -> Result<Doc, ParseError> {
    let mut p = Parser {
        src: text,
        chars: text.char_indices().collect(),
        pos: 0,
        line: 1,
        source,
    };
    let (nodes, tail) = p.items(None)?;
    Ok(Doc { nodes, tail })
}

impl Parser<'_> {
    fn offset(&self) -> usize {
        self.chars.get(self.pos).map_or(self.src.len(), |(o, _)| *o)
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).map(|(_, c)| *c)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn err(&self, line: usize, msg: impl Into<String>) -> ParseError {
        ParseError::new(self.source, line, msg)
    }

    /// Whitespace and comments.
    fn skip_blank(&mut self) {
        while let Some(c) = self.peek() {
            if c == '#' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    /// Nodes up to the end of text (`open` None) or the `}` closing the block opened on
    /// line `open`; returns them and the blank text before the end.
    fn items(&mut self, open: Option<usize>) -> Result<(Vec<Node>, String), ParseError> {
        let mut nodes = Vec::new();
        loop {
            let start = self.offset();
            self.skip_blank();
            let lead = self.src[start..self.offset()].to_string();
            match (self.peek(), open) {
                (None, None) => return Ok((nodes, lead)),
                (None, Some(l)) => {
                    return Err(self.err(l, "block opened here is never closed with \"}\""));
                }
                (Some('}'), Some(_)) => {
                    self.bump();
                    return Ok((nodes, lead));
                }
                (Some('}'), None) => {
                    return Err(self.err(self.line, "\"}\" without a block to close"));
                }
                _ => {}
            }
            let line = self.line;
            let begin = self.offset();
            let end_char = self.statement_text(line)?;
            let text = self.src[begin..self.offset()].to_string();
            let body = if end_char == ';' {
                Body::Stmt(text)
            } else {
                let (children, tail) = self.items(Some(line))?;
                Body::Block {
                    head: text,
                    children,
                    tail,
                }
            };
            nodes.push(Node { lead, line, body });
        }
    }

    /// Advance over one statement or block head, through its `;` or `{`.
    fn statement_text(&mut self, line: usize) -> Result<char, ParseError> {
        while let Some(c) = self.bump() {
            match c {
                ';' | '{' => return Ok(c),
                '}' => {
                    return Err(self.err(self.line, "statement is missing its \";\" before \"}\""));
                }
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '"' => loop {
                    match self.bump() {
                        Some('\\') => {
                            self.bump();
                        }
                        Some('"') => break,
                        Some(_) => {}
                        None => return Err(self.err(line, "unterminated quoted string")),
                    }
                },
                _ => {}
            }
        }
        Err(self.err(line, "statement is missing its \";\" at end of file"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        let text = "# global\noption domain-name \"ex;ample.org\"; # trailing\n\n\
                    subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.10 10.0.0.20;\n  \
                    host a { hardware ethernet 2:8:20:a:b:c; fixed-address 10.0.0.5; }\n}\n\
                    unknown-thing foo { bar; baz { qux; } }\n# end";
        let doc = parse(text, "dhcpd.conf").unwrap();
        assert_eq!(doc.render(), text);
        assert_eq!(doc.nodes.len(), 3);
        assert_eq!(
            doc.nodes[0].words(),
            ["option", "domain-name", "ex;ample.org"]
        );
        assert_eq!(doc.nodes[1].line, 4);
        assert_eq!(doc.nodes[1].children()[1].words(), ["host", "a"]);
        assert_eq!(doc.nodes[1].children()[1].line, 6);
        assert_eq!(doc.tail, "\n# end");
    }

    #[test]
    fn reports_unbalanced_text_with_lines() {
        let e = parse("subnet 10.0.0.0 netmask 255.0.0.0 {\n range a b;\n", "f").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse("option x 1\n}\n", "f").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("option x 1", "f").unwrap_err();
        assert!(e.message.contains("end of file"));
        let e = parse("}\n", "f").unwrap_err();
        assert_eq!(e.line, 1);
    }

    #[test]
    fn lead_comments_and_indent() {
        let doc = parse("a;\n  # about b\n  b;", "f").unwrap();
        assert_eq!(doc.nodes[1].lead_comments(), "\n  # about b");
        assert_eq!(doc.nodes[1].indent(), "  ");
        assert_eq!(
            words("option domain-name-servers 8.8.8.8, 8.8.4.4;"),
            ["option", "domain-name-servers", "8.8.8.8", ",", "8.8.4.4"]
        );
    }
}
