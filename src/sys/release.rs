//! `/etc/release`: the distribution's name and release, e.g. `OmniOS v11 r151054d`.
//!
//! The first non-empty line names the release (indented by two spaces on OmniOS); the lines
//! after it are copyright notices.

use super::ParseError;

pub const PATH: &str = "/etc/release";

/// The release line of `/etc/release`, trimmed.
pub fn parse(text: &str) -> Result<String, ParseError> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
        .ok_or_else(|| ParseError::new(PATH, 0, "the file is empty"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_non_empty_line_trimmed() {
        let omnios = "  OmniOS v11 r151054d\n  Copyright (c) 2012-2017 OmniTI Computer \
                      Consulting, Inc.\n  Copyright (c) 2017-2025 OmniOS Community Edition \
                      (OmniOSce) Association.\n  All rights reserved. Use is subject to \
                      licence terms.\n";
        assert_eq!(parse(omnios).unwrap(), "OmniOS v11 r151054d");
        assert_eq!(
            parse("\n\t\n             OpenIndiana Hipster 2025.04 (powered by illumos)\r\n")
                .unwrap(),
            "OpenIndiana Hipster 2025.04 (powered by illumos)"
        );
    }

    #[test]
    fn empty_file_is_an_error() {
        let e = parse(" \n\n").unwrap_err();
        assert_eq!(e.source_name, PATH);
        assert!(e.message.contains("empty"));
    }
}
