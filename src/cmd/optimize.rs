//! `hone optimize`: fit FSRS parameters to the history, report how well each model predicts
//! it, and save the parameters in this machine's parameters log.

use crate::cli::JsonArgs;
use crate::optimize;
use crate::render;
use crate::views::OptimizeView;

use super::Ctx;

pub fn run(ctx: &mut Ctx, args: JsonArgs) -> anyhow::Result<()> {
    let history = ctx.store.log()?;
    let items = optimize::items(&history);
    // Below the minimum this is refused with how many reviews are still needed; nothing is
    // saved.
    let found = optimize::optimize(&items)?;
    ctx.before_writing();
    ctx.store
        .save_parameters(ctx.now, found.reviews, &found.parameters)?;
    let view = OptimizeView::of(&found, ctx.settings.scheduler);
    ctx.emit(args.json, &view, render::optimize)
}
