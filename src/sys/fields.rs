//! Colon-separated parseable output (`zoneadm list -p`, `dladm … -p -o`, `ipadm … -p -o`),
//! where a literal `:` or `\` inside a field is written with a backslash before it.

/// Split one line on `sep`, undoing backslash escapes: `\:` is a literal `:` and `\\` a
/// literal `\`. A trailing lone backslash is kept as is.
pub fn split_escaped(line: &str, sep: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(next) => cur.push(next),
                None => cur.push('\\'),
            }
        } else if c == sep {
            fields.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    fields.push(cur);
    fields
}

/// Join fields the way the illumos `ofmt` parseable mode writes them: with more than one
/// field, `sep` and `\` inside a value get a backslash; a single field is written verbatim.
pub fn join_escaped<S: AsRef<str>>(fields: &[S], sep: char) -> String {
    if fields.len() == 1 {
        return fields[0].as_ref().to_string();
    }
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(sep);
        }
        for c in f.as_ref().chars() {
            if c == sep || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_unescaped_separators_only() {
        assert_eq!(
            split_escaped(r"vnic0:igb0:2\:8\:20\:a\:b\:c", ':'),
            ["vnic0", "igb0", "2:8:20:a:b:c"]
        );
        assert_eq!(split_escaped(r"a\\:b", ':'), [r"a\", "b"]);
        assert_eq!(split_escaped("a::", ':'), ["a", "", ""]);
        assert_eq!(split_escaped(r"end\", ':'), [r"end\"]);
        assert_eq!(split_escaped("", ':'), [""]);
    }

    #[test]
    fn join_is_the_inverse_of_split_for_several_fields() {
        let fields = ["lo0/v6", "static", "ok", "::1/128", r"back\slash"];
        let line = join_escaped(&fields, ':');
        assert_eq!(line, r"lo0/v6:static:ok:\:\:1/128:back\\slash");
        assert_eq!(split_escaped(&line, ':'), fields);
    }

    #[test]
    fn a_single_field_is_not_escaped() {
        assert_eq!(join_escaped(&["2:8:20:a:b:c"], ':'), "2:8:20:a:b:c");
    }
}
