//! prctl's output for one zone (print_rctls()): the `zone: ID: NAME` header (printed in
//! the parseable form too), the table heading unless `-P`, then per control its name, the
//! usage line and its values. Nothing at all when no value matched `-t`.

use std::io::{self, Write};

use super::Priv;
use super::live::Target;
use super::rctls::{Def, scaled, unit_suffix};

pub(super) struct Entry {
    pub privilege: Priv,
    pub value: u64,
    /// `max`, `inf` or `-`.
    pub flag: &'static str,
    pub action: String,
}

pub(super) struct Block {
    pub def: &'static Def,
    pub usage: u64,
    pub entries: Vec<Entry>,
}

pub(super) fn zone(
    out: &mut dyn Write,
    target: &Target,
    blocks: &[Block],
    parseable: bool,
) -> io::Result<()> {
    if blocks.is_empty() {
        return Ok(());
    }
    writeln!(out, "zone: {}: {:.70}", target.id, target.name)?;
    if !parseable {
        writeln!(
            out,
            "{:<8}{:<16}{:<9}{:<7}{:<28}{:>10}",
            "NAME", "PRIVILEGE", "VALUE", "FLAG", "ACTION", "RECIPIENT"
        )?;
    }
    for block in blocks {
        let name = block.def.name;
        let unit = unit_suffix(block.def.unit);
        if parseable {
            writeln!(out, "{name} usage {} - - -", block.usage)?;
        } else {
            writeln!(out, "{name}")?;
            let usage = scaled(block.usage, block.def.unit);
            writeln!(out, "{:8}{:<16}{usage:>5}{unit:<4}", "", "usage")?;
        }
        for e in &block.entries {
            let privilege = e.privilege.name();
            if parseable {
                writeln!(
                    out,
                    "{name} {privilege} {} {} {} -",
                    e.value, e.flag, e.action
                )?;
            } else {
                let value = scaled(e.value, block.def.unit);
                writeln!(
                    out,
                    "{:8}{privilege:<16}{value:>5}{unit:<4}{:>4}{:3}{:<28}{:>10}",
                    "", e.flag, "", e.action, "-"
                )?;
            }
        }
    }
    Ok(())
}
