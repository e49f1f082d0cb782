//! The argv of one host command, as built by the `sys` modules and run by `host::Runner`.

use serde::{Deserialize, Serialize};

/// One host command: a program name (resolved on the sys path by the runner) and literal
/// arguments. Never a shell string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub program: String,
    pub args: Vec<String>,
    /// Changes the host (or needs privilege to read): run through pfexec/sudo when not root.
    pub privileged: bool,
}

impl Command {
    /// A command that only reads.
    pub fn read(program: &str) -> Self {
        Command {
            program: program.to_string(),
            args: Vec::new(),
            privileged: false,
        }
    }

    /// A command that changes the host.
    pub fn mutating(program: &str) -> Self {
        Command {
            program: program.to_string(),
            args: Vec::new(),
            privileged: true,
        }
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// program followed by the arguments.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.program.clone())
            .chain(self.args.iter().cloned())
            .collect()
    }

    /// The command as an operator would type it, quoted for a POSIX shell. For display only.
    pub fn display(&self) -> String {
        display_argv(&self.argv())
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display())
    }
}

/// Quote an argv for display, so that copying it into a shell runs the same command.
/// Arguments after the program keep `=` bare (`zfs set compression=lz4` reads better, and
/// only a first word can be taken for an assignment).
pub fn display_argv<S: AsRef<str>>(argv: &[S]) -> String {
    argv.iter()
        .enumerate()
        .map(|(i, a)| quote(a.as_ref(), if i == 0 { STRICT_BARE } else { ARG_BARE }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Characters (besides ASCII letters and digits) that no POSIX shell treats specially
/// anywhere in a word.
const STRICT_BARE: &[u8] = b"-_./,:@+";
const ARG_BARE: &[u8] = b"-_./,:@+=";

/// One word quoted for a POSIX shell: words of characters no shell treats specially stay
/// bare, anything else is single-quoted (a `'` written as `'\''`).
pub fn sh_quote(word: &str) -> String {
    quote(word, STRICT_BARE)
}

fn quote(word: &str, bare_extra: &[u8]) -> String {
    let bare = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || bare_extra.contains(&b));
    if bare {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Replaces a secret wherever it would be shown or stored.
pub const REDACTED: &str = "********";

/// `text` with every occurrence of each secret replaced by [`REDACTED`]; longer secrets first,
/// so a secret containing another is replaced whole.
pub fn redact(text: &str, secrets: &[String]) -> String {
    if secrets.is_empty() {
        return text.to_string();
    }
    let mut sorted: Vec<&String> = secrets.iter().filter(|s| !s.is_empty()).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mut out = text.to_string();
    for secret in sorted {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_what_a_shell_would_mangle() {
        let cmd = Command::mutating("zfs")
            .args(["create", "-o", "zcon:note=a b", "rpool/x;rm"])
            .arg("it's");
        assert_eq!(
            cmd.display(),
            r"zfs create -o 'zcon:note=a b' 'rpool/x;rm' 'it'\''s'"
        );
        assert!(cmd.privileged);
        assert_eq!(Command::read("zoneadm").arg("").display(), "zoneadm ''");
    }
}
