//! Zone name rules: `[A-Za-z0-9][-_.A-Za-z0-9]{0,62}`, not `global`, and `SUNW…` is reserved.

pub const MAX_LEN: usize = 63;

/// Check a zone name; the error says what is wrong and what would be right.
pub fn validate(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the zone name is empty: use letters, digits, '-', '_' and '.'".into());
    }
    if name.len() > MAX_LEN {
        return Err(format!(
            "the zone name is {} characters long: at most {MAX_LEN} are allowed",
            name.len()
        ));
    }
    let first = name.chars().next().unwrap_or('-');
    if !first.is_ascii_alphanumeric() {
        return Err(format!(
            "the zone name must begin with a letter or digit, not '{first}'"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c)))
    {
        return Err(format!(
            "the zone name contains '{}': only letters, digits, '-', '_' and '.' are allowed",
            bad.escape_default()
        ));
    }
    if name == "global" {
        return Err("'global' is the name of the global zone and cannot be used".into());
    }
    if name.starts_with("SUNW") {
        return Err("zone names beginning with 'SUNW' are reserved".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_legal_names() {
        for name in ["web01", "a", "9lives", "db-01.prod_x", &"x".repeat(63)] {
            assert_eq!(validate(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_illegal_names_with_the_reason() {
        let cases = [
            ("", "empty"),
            (&"x".repeat(64) as &str, "64 characters"),
            ("-web", "begin with a letter or digit"),
            (".web", "begin with a letter or digit"),
            ("web 01", "contains ' '"),
            ("web;rm", "contains ';'"),
            ("we$(x)", "contains '$'"),
            ("global", "global zone"),
            ("SUNWfoo", "reserved"),
            ("wéb", "contains"),
        ];
        for (name, why) in cases {
            let err = validate(name).unwrap_err();
            assert!(err.contains(why), "{name:?}: {err}");
        }
    }
}
