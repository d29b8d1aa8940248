//! `--plan`: every VPC's CIDR plan and zones, printed without writing anything.

use crate::app::App;

/// What `--plan` prints and its exit code: each VPC's plan ([`Stack::vpc_plans`]) on standard
/// output; then the app is validated in memory, and any error (a VPC that could not plan
/// among them: it has no plan to print) goes to standard error with exit code 1.
///
/// [`Stack::vpc_plans`]: crate::Stack::vpc_plans
pub(super) fn report(app: &App) -> (u8, String, String) {
    let plans: Vec<String> = app
        .stacks()
        .iter()
        .flat_map(|stack| stack.vpc_plans())
        .map(ToString::to_string)
        .collect();
    let stdout = if plans.is_empty() {
        "no VPC plans: the app has no VpcThreeTier that planned\n".to_string()
    } else {
        plans.join("\n")
    };
    match app.assemble() {
        Ok(assembly) => {
            let warnings: String = assembly.warnings.iter().map(|w| format!("{w}\n")).collect();
            (0, stdout, warnings)
        }
        Err(err) => (1, stdout, err.to_string()),
    }
}
