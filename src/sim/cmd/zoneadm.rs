//! The sim host's `zoneadm`.

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(ctx.err, "zoneadm: not available on this sim host yet");
    1
}
