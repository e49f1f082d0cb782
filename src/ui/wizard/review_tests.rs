//! The review step and the edit wizard: the plan queued, problems the host has now, the
//! spec saved, an edit's pre-fill round trip and its modify plan.

use std::path::PathBuf;
use std::sync::Arc;

use super::tests::{error, flip, host, new_wizard, pick, set, web_spec, zone_of};
use super::*;
use crate::ops::spec::{CloudInit, Volume, ZoneSpec};
use crate::ui::app::Level;
use crate::ui::config::Action;

#[test]
fn the_review_queues_the_create_and_the_boot_after_it() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    flip(&mut w, Step::Options, "start");
    let steps = w.steps();
    for _ in 1..steps.len() {
        assert_eq!(w.action(Action::Submit), Outcome::Done, "{:?}", w.step);
    }
    assert_eq!(w.step, Step::Review);
    let review = w.review.clone().unwrap();
    assert_eq!(review.problems, Vec::<String>::new());
    assert!(
        review
            .commands
            .iter()
            .any(|c| c.starts_with("zfs create") && c.ends_with("-V 20G data/zones/vm1/root"))
    );
    assert!(
        review
            .commands
            .iter()
            .any(|c| c == "zoneadm -z vm1 install")
    );
    let Outcome::Submit { what, tasks } = w.action(Action::Submit) else {
        panic!("not submitted")
    };
    assert_eq!(what, "create vm1");
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[1].plan.operation, "boot");
    assert_eq!(
        tasks[1].after,
        [crate::exec::engine::Dependency::Earlier(0)]
    );
}

#[test]
fn the_review_lists_problems_the_host_has_now() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    w.step = Step::Review;
    // Meanwhile another console made a zone of that name.
    let mut later = (*inv).clone();
    later.zones.push(zone_of(
        &ZoneSpec {
            name: "vm1".into(),
            brand: "ipkg".into(),
            ..ZoneSpec::default()
        },
        ZoneState::Configured,
    ));
    w.set_inventory(Arc::new(later));
    let said = w.action(Action::Submit);
    assert!(matches!(said, Outcome::Say(Level::Error, _)), "{said:?}");
    let problems = &w.review.as_ref().unwrap().problems;
    assert!(
        problems.iter().any(|p| p.starts_with("name:")),
        "{problems:?}"
    );
}

#[test]
fn save_writes_the_spec_without_the_password() {
    let (root, inv) = host();
    let mut w = new_wizard(&inv, &root);
    set(&mut w, Step::Basics, "name", "vm1");
    pick(&mut w, Step::CloudInit, "ci.enabled", "on");
    set(&mut w, Step::CloudInit, "ci.password", "s3cret");
    w.step = Step::Review;
    assert_eq!(w.action(Action::Save), Outcome::Done);
    let Some(Overlay::Save(input)) = &w.overlay else {
        panic!("no save prompt")
    };
    assert_eq!(input.text(), "./vm1.json");
    let path = root.path().join("vm1.json");
    w.overlay = Some(Overlay::Save(crate::ui::form::TextInput::new(
        path.to_str().unwrap(),
    )));
    let said = w.action(Action::Accept);
    assert!(matches!(said, Outcome::Say(Level::Info, ref m) if m.contains("without the password")));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("s3cret"));
    let saved: ZoneSpec = serde_json::from_str(&text).unwrap();
    let mut expect = w.spec();
    expect.cloud_init.as_mut().unwrap().password = None;
    assert_eq!(saved, expect);
    // And it reads back into the wizard as the same spec.
    let again = Wizard::create(Some(saved.clone()), inv.clone(), PathBuf::from(root.path()));
    assert_eq!(again.spec(), saved);
}

#[test]
fn edit_fills_the_forms_from_the_zone_and_gives_its_spec_back() {
    let (root, inv) = host();
    let mut spec = web_spec();
    spec.attrs.insert("ram".into(), "4G".into());
    spec.attrs.insert("acpi".into(), "on".into()); // a default, said explicitly
    spec.attrs.insert("bootorder".into(), "cd,path0".into()); // not a wizard field
    spec.disks = vec![Volume::Existing {
        dataset: "data/vols/spare".into(),
        force: false,
    }];
    spec.cdroms = vec!["/data/iso/omnios.iso".into(), "/elsewhere/x.iso".into()];
    spec.cloud_init = Some(CloudInit {
        enabled: "on".into(),
        password: Some("hunter2".into()),
        sshkey: Some("/root/keys".into()),
        ..CloudInit::default()
    });
    spec.autoboot = true;
    spec.caps.physical_memory = Some("4G".into());
    let zone = zone_of(&spec, ZoneState::Running);
    let w = Wizard::edit(&zone, inv.clone(), root.path().to_path_buf()).unwrap();
    assert_eq!(w.step, Step::Resources);
    assert_eq!(w.steps()[0], Step::Resources);
    let basics = w.form(Step::Basics);
    assert!(
        basics.fields.iter().all(|f| !f.focusable()),
        "name and brand are fixed"
    );
    assert!(!w.changed());
    // The password is not shown, nor put in the spec: modify leaves it as it is.
    assert_eq!(
        w.spec(),
        ZoneSpec::from_config(&zone.config.clone().unwrap())
    );
    assert_eq!(w.form(Step::CloudInit).text("ci.password"), "");
    assert!(!w.form(Step::Review).get("live_caps").unwrap().hidden);
    assert_eq!(
        w.form(Step::Network).choice("nics.0.over"),
        "igb0",
        "a NIC made at boot over igb0"
    );
    // Its own boot volume is not "used by another zone".
    assert_eq!(error(&w, Step::BootVolume, "boot.existing"), None);
    // Esc on the first step closes an unchanged edit at once.
    let mut again = w.clone();
    assert_eq!(again.action(Action::Back), Outcome::Close(None));
}

#[test]
fn an_edit_reviews_the_changes_of_a_running_zone_and_queues_a_modify() {
    let (root, inv) = host();
    let mut spec = web_spec();
    spec.attrs.insert("ram".into(), "2G".into());
    let zone = zone_of(&spec, ZoneState::Running);
    let mut running = (*inv).clone();
    running.zones = vec![zone.clone()];
    let inv = Arc::new(running);
    let mut w = Wizard::edit(&zone, inv.clone(), root.path().to_path_buf()).unwrap();
    assert!(
        w.form(Step::Resources).get("zonepath").unwrap().read_only,
        "an installed zone keeps its zonepath"
    );
    // Nothing changed: the review says so and queues nothing.
    w.step = Step::Review;
    w.build_review();
    let review = w.review.clone().unwrap();
    assert!(
        review.problems[0].contains("nothing to change"),
        "{review:?}"
    );
    assert!(matches!(
        w.action(Action::Submit),
        Outcome::Say(Level::Error, _)
    ));
    set(&mut w, Step::Resources, "ram", "4G");
    set(&mut w, Step::Options, "caps.physical", "3G");
    w.build_review();
    let review = w.review.clone().unwrap();
    assert_eq!(review.problems, Vec::<String>::new());
    assert!(
        review
            .changes
            .iter()
            .any(|(t, at_boot)| t.contains("ram") && *at_boot),
        "{:?}",
        review.changes
    );
    assert!(!review.commands.iter().any(|c| c.starts_with("rcapadm")));
    // Apply caps now: the cap reaches the running zone too, and the review follows.
    w.form_mut(Step::Review).focus_key("live_caps");
    assert_eq!(w.action(Action::Toggle), Outcome::Done);
    let review = w.review.clone().unwrap();
    assert!(
        review.commands.iter().any(|c| c.starts_with("rcapadm")),
        "{:?}",
        review.commands
    );
    let caps_now = review
        .changes
        .iter()
        .find(|(t, _)| t.contains("physical") || t.contains("memory"))
        .unwrap();
    assert!(!caps_now.1, "a cap applied now does not wait for a boot");
    w.form_mut(Step::Review).focus_key("review.submit");
    let Outcome::Submit { what, tasks } = w.action(Action::Submit) else {
        panic!("not submitted")
    };
    assert_eq!(what, "modify web");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].plan.operation, "modify");
}
