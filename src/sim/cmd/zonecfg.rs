//! The sim host's `zonecfg` (see [`crate::sim::zonecfg`]).

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, args: &[String]) -> i32 {
    crate::sim::zonecfg::run_cli(ctx, args, None)
}
