//! `hone man`: the manual page of hone on stdout, or every page (one per command) in a
//! directory, ready for `man -M` or a man1 directory.

use std::io::Write;

use anyhow::Context;

use crate::cli::{self, ManArgs};
use crate::render::safe::visible;

pub fn run(args: ManArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let pages = cli::man_pages()?;
    let Some(dir) = args.dir else {
        // The first page is hone.1.
        return Ok(out.write_all(&pages[0].roff)?);
    };
    let shown = || visible(&dir.display().to_string()).into_owned();
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", shown()))?;
    for page in &pages {
        let path = dir.join(&page.file_name);
        std::fs::write(&path, &page.roff)
            .with_context(|| format!("cannot write {}", visible(&path.display().to_string())))?;
    }
    writeln!(out, "Wrote {} manual pages to {}.", pages.len(), shown())?;
    Ok(())
}
