//! The sim host's `svccfg`.

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(ctx.err, "svccfg: not available on this sim host yet");
    1
}
