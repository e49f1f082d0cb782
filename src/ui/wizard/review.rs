//! The review step: the spec (secrets masked), every problem the whole-spec check finds on
//! the host, and the exact commands of the plan, as the tasks that Enter queues. Also the
//! spec saved to a file (without the password).

use super::{Kind, Wizard};
use crate::exec::engine::{Dependency, Submission};
use crate::ops::spec::{ZoneSpec, create_plan, start_plan};
use crate::ops::{Action, Plan, REDACTED, modify, spec_check};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Review {
    /// The spec as JSON, the password masked.
    pub spec: Vec<String>,
    /// What the plan runs: each step's command, a zonecfg script indented under it.
    pub commands: Vec<String>,
    /// Every problem, as `field: message`.
    pub problems: Vec<String>,
    /// What an edit changes, each marked when it takes effect at the next boot.
    pub changes: Vec<(String, bool)>,
    /// What Enter queues; None while there are problems.
    pub tasks: Option<Vec<Submission>>,
}

/// A spec as it may be shown: the password masked.
pub fn masked(spec: &ZoneSpec) -> ZoneSpec {
    let mut spec = spec.clone();
    if let Some(ci) = &mut spec.cloud_init
        && ci.password.is_some()
    {
        ci.password = Some(REDACTED.to_string());
    }
    spec
}

/// The plan's lines, secrets replaced: each step's command, then its standard input (a
/// zonecfg script) indented.
pub fn plan_lines(plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for (step, line) in plan.steps.iter().zip(plan.describe()) {
        out.push(line);
        if let Action::Run {
            stdin: Some(input), ..
        } = &step.action
        {
            out.extend(plan.redact(input).lines().map(|l| format!("    {l}")));
        }
    }
    out
}

impl Wizard {
    /// Check the whole spec against the host now and make the plan.
    pub fn build_review(&mut self) {
        let spec = self.spec();
        let json = serde_json::to_string_pretty(&masked(&spec)).unwrap_or_default();
        let mut review = Review {
            spec: json.lines().map(str::to_string).collect(),
            ..Review::default()
        };
        let is_file = |p: &str| self.is_file(p);
        let exists = |name: &str| self.facts.dataset_exists(&self.inv, name);
        if let Kind::Edit { config, state } = &self.kind {
            // The zone as the host has it now (another console may have changed it).
            let (config, state, zone_id) = match self.inv.zone(&spec.name) {
                Some(z) => (z.config.as_ref().unwrap_or(config), z.state, z.id),
                None => (&**config, *state, None),
            };
            let current = ZoneSpec::from_config(config);
            review.problems = spec_check::check_modify(&current, &spec, &self.inv, &is_file)
                .iter()
                .map(ToString::to_string)
                .collect();
            let live = self.form(super::Step::Review).toggle("live_caps");
            match modify::modify_plan(config, &spec, state, live, &exists) {
                Ok(mut m) => {
                    m.plan.zone_id = zone_id;
                    review.commands = plan_lines(&m.plan);
                    review.changes = m
                        .changes
                        .into_iter()
                        .map(|c| (c.text, c.at_next_boot))
                        .collect();
                    if review.problems.is_empty() {
                        review.tasks = Some(vec![Submission {
                            plan: m.plan,
                            after: vec![],
                        }]);
                    }
                }
                Err(e) => review.problems.push(e),
            }
            self.review = Some(review);
            return;
        }
        review.problems = spec_check::check(&spec, &self.inv, &is_file)
            .iter()
            .map(ToString::to_string)
            .collect();
        match create_plan(&spec, &exists) {
            Ok(plan) => {
                review.commands = plan_lines(&plan);
                let mut tasks = vec![Submission {
                    plan,
                    after: vec![],
                }];
                if spec.start_after_create {
                    let start = start_plan(&spec);
                    review.commands.push("# then, once it is installed:".into());
                    review.commands.extend(start.describe());
                    tasks.push(Submission {
                        plan: start,
                        after: vec![Dependency::Earlier(0)],
                    });
                }
                if review.problems.is_empty() {
                    review.tasks = Some(tasks);
                }
            }
            Err(e) => review.problems.push(format!("plan: {e}")),
        }
        self.review = Some(review);
    }

    /// Write the spec as JSON to `path`, without the password. The message says where.
    pub fn save(&self, path: &str) -> Result<String, String> {
        let mut spec = self.spec();
        let had_password = spec
            .cloud_init
            .as_mut()
            .is_some_and(|ci| ci.password.take().is_some());
        let text = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())? + "\n";
        std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
        let note = if had_password {
            " (without the password)"
        } else {
            ""
        };
        Ok(format!("saved the spec of {} to {path}{note}", spec.name))
    }
}
