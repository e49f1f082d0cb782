//! `svcs -l` (a paragraph per instance) and `svcs -x` (why a service is not running).

use std::fmt::Write;

use crate::sim::smf::{Instance, defaults, methods};

const DETAILED_WIDTH: usize = 13;

fn long_time(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|ts| {
            ts.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%a %b %e %H:%M:%S %Y")
                .to_string()
        })
        .unwrap_or_default()
}

/// One `svcs -l` paragraph (dependencies are not modelled).
pub fn long(fmri: &str, i: &Instance) -> String {
    let mut s = String::new();
    let mut field = |k: &str, v: &str| {
        let _ = writeln!(s, "{k:<DETAILED_WIDTH$}{v}");
    };
    field("fmri", fmri);
    if !i.description.is_empty() {
        field("name", &i.description);
    }
    let enabled = i.effective_enabled();
    if i.enabled_temp.is_some_and(|t| t != i.enabled) {
        field("enabled", &format!("{enabled} (temporary)"));
    } else {
        field("enabled", &enabled.to_string());
    }
    field("state", &i.state);
    field("next_state", i.next_state.as_deref().unwrap_or("none"));
    field("state_time", &long_time(i.state_time));
    field("logfile", &methods::log_path(fmri));
    field("restarter", "svc:/system/svc/restarter:default");
    if let Some(c) = i.ctid {
        field("contract_id", &format!("{c} "));
    }
    s
}

/// Should `svcs -x` without operands report this instance?
pub fn has_problem(i: &Instance) -> bool {
    match i.state.as_str() {
        "maintenance" | "degraded" => true,
        "offline" => i.effective_enabled() && !i.transitioning(),
        _ => false,
    }
}

/// One `svcs -x` paragraph.
pub fn explain(fmri: &str, i: &Instance) -> String {
    let mut s = String::new();
    if i.description.is_empty() {
        let _ = writeln!(s, "{fmri}");
    } else {
        let _ = writeln!(s, "{fmri} ({})", i.description);
    }
    let _ = writeln!(s, " State: {} since {}", i.state, long_time(i.state_time));
    let (reason, msg, impact) = match i.state.as_str() {
        "online" => (None, None, "None."),
        "degraded" => (
            Some("Degraded by an administrator."),
            Some("SMF-8000-9C"),
            "This service is running in a degraded state.",
        ),
        "disabled" => (
            Some("Disabled by an administrator."),
            Some("SMF-8000-05"),
            "This service is not running.",
        ),
        "maintenance" => (
            Some(
                i.reason
                    .as_deref()
                    .unwrap_or("Maintenance requested by an administrator."),
            ),
            Some("SMF-8000-KS"),
            "This service is not running.",
        ),
        _ => (
            Some("Start method is running."),
            Some("SMF-8000-C4"),
            "This service is not running.",
        ),
    };
    if let Some(r) = reason {
        let _ = writeln!(s, "Reason: {r}");
    }
    if let Some(m) = msg {
        let _ = writeln!(s, "   See: http://illumos.org/msg/{m}");
    }
    if let Some(page) = defaults::manpage(fmri) {
        let _ = writeln!(s, "   See: {page}");
    }
    let _ = writeln!(s, "   See: {}", methods::log_path(fmri));
    let _ = writeln!(s, "Impact: {impact}");
    s
}
