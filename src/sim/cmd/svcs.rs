//! The sim host's `svcs`.

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(ctx.err, "svcs: not available on this sim host yet");
    1
}
