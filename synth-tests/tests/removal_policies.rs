//! What happens to each stateful resource of every example when its stack is deleted, said in
//! the template: log groups are retained (the record of what ran, whichever construct made
//! them), and queues and secrets carry an explicit policy (cfn-lint's I3011).

use serde_json::Value as Json;

/// `("example/stack/logical id", resource)` of every resource of `type_name` in every example.
fn resources(type_name: &str) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for (name, build) in examples::EXAMPLES {
        let assembly = build().assemble().unwrap_or_else(|e| panic!("{name}: {e}"));
        for stack in &assembly.stacks {
            let t: Json = serde_json::from_str(&stack.json).unwrap();
            for (id, r) in synth_tests::resources_of_type(&t, type_name) {
                out.push((format!("{name}/{}/{id}", stack.name), r.clone()));
            }
        }
    }
    out
}

#[test]
fn every_log_group_of_every_example_is_retained() {
    let groups = resources("AWS::Logs::LogGroup");
    // Function logs, API access logs, container logs, flow logs and the L1 one of `basics`.
    assert!(groups.len() >= 10, "{}", groups.len());
    for (at, group) in groups {
        assert_eq!(group["DeletionPolicy"], "Retain", "{at}");
        assert_eq!(group["UpdateReplacePolicy"], "Retain", "{at}");
    }
}

#[test]
fn every_queue_and_secret_says_what_happens_on_deletion() {
    for type_name in ["AWS::SQS::Queue", "AWS::SecretsManager::Secret"] {
        let found = resources(type_name);
        assert!(!found.is_empty(), "no {type_name} in the examples");
        for (at, resource) in found {
            assert!(resource["DeletionPolicy"].is_string(), "{at}");
            assert!(resource["UpdateReplacePolicy"].is_string(), "{at}");
        }
    }
}
