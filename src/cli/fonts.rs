//! `wenshu fonts`: which font plays each role, and from where.

use std::process::ExitCode;

use crate::error::Error;

/// Runs `fonts`.
pub fn run(global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let engine = global.engine()?;
    println!("角色\t字体\t来源");
    for r in engine.fonts().roles() {
        println!("{r}");
    }
    let fallbacks = engine.fonts().fallbacks();
    if global.strict_fonts && !fallbacks.is_empty() {
        eprintln!(
            "wenshu: --strict-fonts：{} 个角色未找到办公字体",
            fallbacks.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
