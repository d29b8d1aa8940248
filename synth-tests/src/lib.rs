//! Helpers shared by the whole-template tests in `tests/`.

use constructs::{App, Stack, SynthError};
use serde_json::Value as Json;

/// Synthesizes one stack, named `name` and filled by `build`, and returns its template as JSON.
pub fn synth_stack(name: &str, build: impl FnOnce(&mut Stack)) -> Result<Json, SynthError> {
    let mut app = App::new();
    let mut stack = Stack::new(name);
    build(&mut stack);
    app.add_stack(stack);
    let assembly = app.assemble()?;
    Ok(serde_json::from_str(&assembly.stacks[0].json).expect("synth writes valid JSON"))
}

/// The resources of `type_name` in a template, with their logical ids, in template order.
pub fn resources_of_type<'a>(template: &'a Json, type_name: &str) -> Vec<(&'a String, &'a Json)> {
    template["Resources"]
        .as_object()
        .map(|resources| {
            resources
                .iter()
                .filter(|(_, r)| r["Type"] == type_name)
                .collect()
        })
        .unwrap_or_default()
}
