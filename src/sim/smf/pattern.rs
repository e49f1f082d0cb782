//! FMRI operands as libscf's `scf_walk_fmri()` matches them: a full FMRI
//! (`svc:/network/smtp:sendmail`), an abbreviation made of its right-most components
//! (`network/smtp:sendmail`, `smtp:sendmail`, `smtp`, `sendmail`), or an fnmatch(5) glob
//! (`network/*mail`).

use super::{SmfStore, service_of};

/// The instances a pattern designates, and the service when it names one (svccfg -s).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resolved {
    pub instances: Vec<String>,
    pub service: Option<String>,
}

fn is_glob(p: &str) -> bool {
    p.contains(['*', '?', '['])
}

/// Component-wise suffix: `text` is `pat` or ends with `pat` right after a `/` or `:`.
fn ends_at_component(text: &str, pat: &str) -> bool {
    text == pat
        || text
            .strip_suffix(pat)
            .is_some_and(|head| head.ends_with('/') || head.ends_with(':'))
}

pub fn resolve(store: &SmfStore, pattern: &str) -> Resolved {
    let mut out = Resolved::default();
    let mut services: Vec<String> = store.services.keys().cloned().collect();
    for fmri in store.instances.keys() {
        let svc = service_of(fmri).to_string();
        if !services.contains(&svc) {
            services.push(svc);
        }
    }
    if is_glob(pattern) {
        let candidates = [
            pattern.to_string(),
            format!("svc:/{pattern}"),
            format!("svc:/*/{pattern}"),
        ];
        out.instances = store
            .instances
            .keys()
            .filter(|f| candidates.iter().any(|c| fnmatch(c, f)))
            .cloned()
            .collect();
        return out;
    }
    let full = pattern.starts_with("svc:");
    let bare = pattern.trim_start_matches("svc:").trim_start_matches('/');
    let named: Vec<&String> = services
        .iter()
        .filter(|s| {
            let path = s.trim_start_matches("svc:/");
            if full {
                path == bare
            } else {
                ends_at_component(path, bare)
            }
        })
        .collect();
    if let [one] = named.as_slice() {
        out.service = Some((*one).clone());
    }
    out.instances = store
        .instances
        .keys()
        .filter(|f| {
            let path = f.trim_start_matches("svc:/");
            let svc_path = service_of(f).trim_start_matches("svc:/");
            if full {
                path == bare || svc_path == bare
            } else {
                ends_at_component(path, bare) || ends_at_component(svc_path, bare)
            }
        })
        .cloned()
        .collect();
    out
}

/// fnmatch(3) without flags: `*` and `?` match any character (including `/`), `[…]`
/// a set (`!` or `^` negates, `a-z` ranges), `\` quotes.
pub fn fnmatch(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    matches_at(&p, &t)
}

fn matches_at(p: &[char], t: &[char]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some('*') => (0..=t.len()).any(|i| matches_at(&p[1..], &t[i..])),
        Some('?') => !t.is_empty() && matches_at(&p[1..], &t[1..]),
        Some('[') => {
            let Some(c) = t.first() else {
                return false;
            };
            match bracket(&p[1..], *c) {
                Some((true, used)) => matches_at(&p[1 + used..], &t[1..]),
                Some((false, _)) => false,
                // An unclosed `[` is an ordinary character.
                None => *c == '[' && matches_at(&p[1..], &t[1..]),
            }
        }
        Some('\\') if p.len() > 1 => t.first() == Some(&p[1]) && matches_at(&p[2..], &t[1..]),
        Some(c) => t.first() == Some(c) && matches_at(&p[1..], &t[1..]),
    }
}

/// Match `c` against a bracket expression starting after `[`; returns whether it matched
/// and how many pattern characters the expression used (through `]`).
fn bracket(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 0;
    let negate = matches!(p.first(), Some('!') | Some('^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            matched |= p[i] <= c && c <= p[i + 2];
            i += 3;
        } else {
            matched |= p[i] == c;
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> SmfStore {
        let mut s = SmfStore::default();
        for f in [
            "svc:/network/smtp:sendmail",
            "svc:/network/ssh:default",
            "svc:/network/dhcp/server:ipv4",
            "svc:/network/dhcp/server:ipv6",
            "svc:/network/ipfilter:default",
        ] {
            s.add_service(f, true);
        }
        s
    }

    fn names(p: &str) -> Vec<String> {
        resolve(&store(), p).instances
    }

    #[test]
    fn abbreviations_match_right_most_components() {
        let sendmail = vec!["svc:/network/smtp:sendmail".to_string()];
        for p in [
            "svc:/network/smtp:sendmail",
            "network/smtp:sendmail",
            "smtp:sendmail",
            "smtp",
            "sendmail",
            "network/smtp",
            "svc:/network/smtp",
        ] {
            assert_eq!(names(p), sendmail, "{p}");
        }
        assert_eq!(names("ipfilter"), ["svc:/network/ipfilter:default"]);
        assert_eq!(names("dhcp/server").len(), 2);
        assert_eq!(names("server:ipv4"), ["svc:/network/dhcp/server:ipv4"]);
        assert_eq!(names("default").len(), 2);
        assert!(names("filter").is_empty());
        assert!(names("svc:/smtp").is_empty());
        assert_eq!(
            resolve(&store(), "dhcp/server").service.as_deref(),
            Some("svc:/network/dhcp/server")
        );
        assert_eq!(resolve(&store(), "dhcp/server:ipv4").service, None);
    }

    #[test]
    fn globs() {
        assert_eq!(names("network/*mail"), ["svc:/network/smtp:sendmail"]);
        assert_eq!(names("*dhcp*").len(), 2);
        assert_eq!(names("svc:/network/s?h:*"), ["svc:/network/ssh:default"]);
        assert!(fnmatch("[a-c]x[!0-9]", "bxz"));
        assert!(!fnmatch("[a-c]x[!0-9]", "bx1"));
        assert!(fnmatch("a[", "a["));
    }
}
