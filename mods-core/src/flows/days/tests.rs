use super::*;
use serde_json::json;

const GREEN: &str = include_str!("../../../../examples/records/mr-green.json");

fn green() -> Value {
    serde_json::from_str(GREEN).unwrap()
}

fn span(s: &str) -> DaySpan {
    DaySpan::parse(s).unwrap()
}

#[test]
fn print_green() {
    let c = compare_days(&green(), None, &span("2026-02-03"), &span("2026-02-02")).unwrap();
    println!("{}", serde_json::to_string_pretty(&c).unwrap());
}
