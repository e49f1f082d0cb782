//! The ZFS dataset name rules, checked before a command is built.

/// Which kind of name [`validate_name`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A filesystem or volume: `pool/a/b`.
    Dataset,
    /// `pool/a@snap`.
    Snapshot,
}

/// The longest dataset name ZFS accepts (MAXNAMELEN - 1).
pub const MAX_NAME_LEN: usize = 255;

/// Check a dataset or snapshot name against the ZFS rules: components of letters, digits
/// and `_ - : .` separated by `/`, no empty component, a pool name starting with a letter,
/// `@` exactly once and only in snapshot names, at most 255 characters.
pub fn validate_name(name: &str, kind: NameKind) -> Result<(), String> {
    if name.is_empty() {
        return Err("the dataset name is empty".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!(
            "the name is {} characters long; ZFS allows at most {MAX_NAME_LEN}",
            name.len()
        ));
    }
    if name.starts_with('/') {
        return Err(format!(
            "'{name}' starts with '/': a dataset name begins with its pool, e.g. rpool/data"
        ));
    }
    let (path, snap) = match name.split_once('@') {
        Some((p, s)) => (p, Some(s)),
        None => (name, None),
    };
    match (kind, snap) {
        (NameKind::Dataset, Some(_)) => {
            return Err(format!(
                "'{name}' contains '@', which only snapshot names may contain"
            ));
        }
        (NameKind::Snapshot, None) => {
            return Err(format!(
                "'{name}' has no '@': a snapshot name is dataset@snapshot"
            ));
        }
        _ => {}
    }
    if path.ends_with('/') {
        return Err(format!("'{name}' ends with '/'"));
    }
    for comp in path.split('/') {
        check_component(name, comp)?;
    }
    if let Some(snap) = snap {
        if snap.contains('@') {
            return Err(format!("'{name}' contains more than one '@'"));
        }
        if snap.contains('/') {
            return Err(format!(
                "the snapshot part of '{name}' contains '/', which is not allowed after '@'"
            ));
        }
        check_component(name, snap)?;
    }
    let pool = path.split('/').next().unwrap_or("");
    if !pool.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(format!(
            "the pool name '{pool}' in '{name}' must begin with a letter"
        ));
    }
    Ok(())
}

fn check_component(name: &str, comp: &str) -> Result<(), String> {
    if comp.is_empty() {
        return Err(format!("'{name}' has an empty component (e.g. '//')"));
    }
    if let Some(c) = comp
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')))
    {
        return Err(format!(
            "invalid character {c:?} in '{name}': use letters, digits and _ - : ."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_zfs_rules() {
        use NameKind::*;
        assert!(validate_name("rpool/zones/web-01_a:b.c", Dataset).is_ok());
        assert!(validate_name("rpool/a@daily-2024", Snapshot).is_ok());
        let e = |n: &str, k| validate_name(n, k).unwrap_err();
        assert!(e("", Dataset).contains("empty"));
        assert!(e("rpool//a", Dataset).contains("empty component"));
        assert!(e("rpool/a/", Dataset).contains("ends with '/'"));
        assert!(e("/rpool/a", Dataset).contains("starts with '/'"));
        assert!(e("rpool/a b", Dataset).contains("invalid character ' '"));
        assert!(e("rpool/a;rm", Dataset).contains("invalid character ';'"));
        assert!(e("rpool/a@s", Dataset).contains("only snapshot names"));
        assert!(e("rpool/a", Snapshot).contains("no '@'"));
        assert!(e("rpool/a@s@t", Snapshot).contains("more than one '@'"));
        assert!(e("rpool/a@", Snapshot).contains("empty component"));
        assert!(e("1pool/a", Dataset).contains("must begin with a letter"));
        let long = format!("rpool/{}", "x".repeat(250));
        assert!(e(&long, Dataset).contains("at most 255"));
        assert!(validate_name(&long[..255], Dataset).is_ok());
    }
}
