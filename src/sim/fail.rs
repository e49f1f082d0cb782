//! Fault injection: `ZCON_SIM_FAIL` makes chosen command invocations fail with the command's
//! real error text and no change, so that rollback can be tested.
//!
//! Syntax: rules separated by `;`. A rule is the command name followed by words that must
//! appear in its arguments in that order, optionally `@N` (fail the N-th matching invocation,
//! default 1) or `@*` (fail every one). Examples: `zfs create`, `zfs create@2`,
//! `zoneadm -z web01 install@*`, `dladm create-vnic; zonecfg -z db commit`.
//! The rules may also be written to the host's `state/fail` file (for processes whose
//! environment a test does not control, such as the task worker's commands).
//! Invocations are counted across processes in `state/fail-counts.json`. In-process tests
//! set the rules with [`SimHost::with_fail`] instead of the environment.

use std::collections::BTreeMap;

use super::SimHost;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Which {
    Nth(u64),
    Every,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    text: String,
    program: String,
    words: Vec<String>,
    which: Which,
}

fn parse_rules(spec: &str) -> Vec<Rule> {
    spec.split(';')
        .filter_map(|raw| {
            let raw = raw.trim();
            let (body, which) = match raw.rsplit_once('@') {
                Some((body, "*")) => (body, Which::Every),
                Some((body, n)) if n.parse::<u64>().is_ok_and(|n| n > 0) => {
                    (body, Which::Nth(n.parse().unwrap_or(1)))
                }
                _ => (raw, Which::Nth(1)),
            };
            let mut words = body.split_whitespace().map(str::to_string);
            let program = words.next()?;
            Some(Rule {
                text: raw.to_string(),
                program,
                words: words.collect(),
                which,
            })
        })
        .collect()
}

fn matches(rule: &Rule, program: &str, args: &[String]) -> bool {
    if rule.program != program {
        return false;
    }
    let mut rest = args.iter();
    rule.words.iter().all(|w| rest.any(|a| a == w))
}

/// Should this invocation fail? Counts the invocation against every matching rule. Call it
/// before taking the state lock (it takes the lock itself to count).
pub fn injected(host: &SimHost, program: &str, args: &[String]) -> bool {
    let Some(spec) = host.fail_spec() else {
        return false;
    };
    let rules: Vec<Rule> = parse_rules(spec)
        .into_iter()
        .filter(|r| matches(r, program, args))
        .collect();
    if rules.is_empty() {
        return false;
    }
    let Ok(_lock) = host.lock_exclusive() else {
        return false;
    };
    let mut counts: BTreeMap<String, u64> = host.load_json("fail-counts").unwrap_or_default();
    let mut fail = false;
    for rule in &rules {
        let n = counts.entry(rule.text.clone()).or_insert(0);
        *n += 1;
        fail |= match rule.which {
            Which::Every => true,
            Which::Nth(k) => *n == k,
        };
    }
    let _ = host.save_json("fail-counts", &counts);
    fail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn rules_parse_with_counts() {
        let rules = parse_rules("zfs create@2; zoneadm -z web install@* ;dladm create-vnic");
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0].which, Which::Nth(2));
        assert_eq!(rules[0].words, ["create"]);
        assert_eq!(rules[1].which, Which::Every);
        assert_eq!(rules[1].words, ["-z", "web", "install"]);
        assert_eq!(rules[2].which, Which::Nth(1));
        assert!(parse_rules(" ; ").is_empty());
    }

    #[test]
    fn counts_invocations_across_calls() {
        let dir = tempfile::tempdir().unwrap();
        let host = crate::sim::init::init(&dir.path().join("h"), &Default::default()).unwrap();
        let host = host.with_fail(Some("zfs create@2; zpool scrub@*"));
        let create = args("create rpool/a");
        assert!(!injected(&host, "zfs", &create));
        assert!(injected(&host, "zfs", &create));
        assert!(!injected(&host, "zfs", &create));
        assert!(!injected(&host, "zfs", &args("destroy rpool/a")));
        assert!(injected(&host, "zpool", &args("scrub rpool")));
        assert!(injected(&host, "zpool", &args("scrub rpool")));
        assert!(!injected(
            &host.with_fail(None),
            "zpool",
            &args("scrub rpool")
        ));
    }

    #[test]
    fn words_must_appear_in_order() {
        let rule = &parse_rules("zoneadm -z web install")[0];
        assert!(matches(rule, "zoneadm", &args("-z web install -x")));
        assert!(!matches(rule, "zoneadm", &args("install -z web")));
        assert!(!matches(rule, "zoneadm", &args("-z db install")));
        assert!(!matches(rule, "zfs", &args("-z web install")));
    }
}
