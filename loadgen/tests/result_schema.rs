//! The result format is a contract with the report and with users' own tools: this test
//! fails when a field is added, removed, renamed or retyped without updating the example
//! (and, for an incompatible change, `SCHEMA_VERSION`).

use loadgen::result::{RunResult, SCHEMA_VERSION};

const EXAMPLE: &str = include_str!("fixtures/result.example.json");

#[test]
fn the_example_result_round_trips_exactly() {
    let example: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let parsed: RunResult = serde_json::from_value(example.clone())
        .expect("the example no longer parses: a field was removed, renamed or retyped");
    assert_eq!(parsed.schema_version, SCHEMA_VERSION);
    let written = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        written, example,
        "the result's shape changed (a field was added?): update tests/fixtures/result.example.json, docs/results.md and, if incompatible, SCHEMA_VERSION"
    );
}
