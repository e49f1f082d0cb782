//! The sim host's `ipadm`.

use crate::sim::Ctx;

pub fn main(ctx: &mut Ctx, _args: &[String]) -> i32 {
    let _ = writeln!(ctx.err, "ipadm: not available on this sim host yet");
    1
}
