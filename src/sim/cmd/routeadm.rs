//! The sim host's `routeadm`.

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(ctx.err, "routeadm: not available on this sim host yet");
    1
}
