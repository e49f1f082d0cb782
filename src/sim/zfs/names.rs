//! zfs_validate_name() / dataset_namecheck() / pool_namecheck() with libzfs' messages.

fn valid_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':')
}

/// Why `name` is not a valid dataset (or, with `snapshot`, snapshot) name, as the text
/// libzfs prints after "cannot create 'x': "; None when it is valid.
pub(crate) fn name_error(name: &str, snapshot: bool, modifying: bool) -> Option<String> {
    if let Some(why) = namecheck(name) {
        return Some(why);
    }
    if !snapshot && name.contains('@') {
        return Some("snapshot delimiter '@' in filesystem name".into());
    }
    if snapshot && !name.contains('@') {
        return Some("missing '@' delimiter in snapshot name".into());
    }
    if modifying && name.contains('%') {
        return Some("invalid character % in name".into());
    }
    None
}

fn namecheck(path: &str) -> Option<String> {
    if path.len() >= 256 {
        return Some("name is too long".into());
    }
    if path.starts_with('/') {
        return Some("leading slash in name".into());
    }
    if path.is_empty() {
        return Some("empty component in name".into());
    }
    let mut found_snapshot = false;
    let mut rest = path;
    loop {
        let end = rest.find(['/', '@']).unwrap_or(rest.len());
        let (comp, tail) = rest.split_at(end);
        if tail.is_empty() && comp.is_empty() && path.ends_with('/') {
            return Some("trailing slash in name".into());
        }
        if comp.is_empty() {
            return Some("empty component in name".into());
        }
        if let Some(c) = comp.chars().find(|c| !valid_char(*c)) {
            return Some(format!("invalid character '{c}' in name"));
        }
        let sep = tail.chars().next()?;
        if sep == '@' {
            if found_snapshot {
                return Some("multiple '@' delimiters in name".into());
            }
            found_snapshot = true;
        }
        rest = &tail[1..];
    }
}

/// pool_namecheck() with zpool's messages.
pub(crate) fn pool_error(pool: &str) -> Option<String> {
    if pool.len() >= 256 {
        return Some("name is too long".into());
    }
    if let Some(c) = pool.chars().find(|c| !valid_char(*c)) {
        return Some(format!("invalid character '{c}' in pool name"));
    }
    if !pool.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some("name must begin with a letter".into());
    }
    if matches!(pool, "mirror" | "raidz" | "spare" | "log") {
        return Some("name is reserved".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_follow_libzfs() {
        assert_eq!(name_error("rpool/a", false, true), None);
        assert_eq!(name_error("rpool/a@b", true, true), None);
        let e = |n: &str, s| name_error(n, s, true).unwrap();
        assert_eq!(e("rpool/a b", false), "invalid character ' ' in name");
        assert_eq!(e("rpool//a", false), "empty component in name");
        assert_eq!(e("rpool/a/", false), "trailing slash in name");
        assert_eq!(e("/rpool", false), "leading slash in name");
        assert_eq!(
            e("rpool/a@b", false),
            "snapshot delimiter '@' in filesystem name"
        );
        assert_eq!(e("rpool/a", true), "missing '@' delimiter in snapshot name");
        assert_eq!(e("rpool/a@b@c", true), "multiple '@' delimiters in name");
        assert_eq!(e(&"a".repeat(256), false), "name is too long");
        assert_eq!(
            pool_error("1tank").unwrap(),
            "name must begin with a letter"
        );
        assert_eq!(pool_error("mirror").unwrap(), "name is reserved");
    }
}
