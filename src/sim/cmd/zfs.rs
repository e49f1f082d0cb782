//! The sim host's `zfs`.

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(ctx.err, "zfs: not available on this sim host yet");
    1
}
