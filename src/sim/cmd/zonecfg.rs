//! The sim host's `zonecfg`.

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(ctx.err, "zonecfg: not available on this sim host yet");
    1
}
