//! `plan-exceeds-funded-envelope` (use case 2): a care plan must stay within the time and
//! cost funded for the services it names.
//!
//! The funded envelope of a care plan is the sum, over the distinct Service records its
//! `services` element names (each counted once, whatever the order or repetition), of their
//! `funded_hours_per_week` and of their `weekly_cost`. The plan's `planned_hours_per_week`
//! is compared with the first sum and its `weekly_cost` with the second, each only when the
//! plan records the figure and at least one of its services records the matching one (a
//! service with no funded figure, such as a free befriending scheme, adds nothing). A
//! negative figure is `invalid-number` already and is left out. Both engines (the one-pass
//! walk and the legacy oracle) gather the figures their own way and call [`check`], so the
//! rule itself is written once.

use crate::issue::IssueCode;
use serde_json::{Map, Value};

/// The figures of one care plan and of the services it names.
pub(crate) struct Plan<'a> {
    /// JSON pointer to the care plan record.
    pub path: &'a str,
    /// `planned_hours_per_week`, when recorded and not negative.
    pub planned_hours: Option<f64>,
    /// `weekly_cost`, when recorded and not negative.
    pub weekly_cost: Option<f64>,
    /// The distinct Service records the plan names, in the order first named.
    pub services: Vec<Service<'a>>,
}

/// The funded figures of one Service record.
pub(crate) struct Service<'a> {
    /// JSON pointer to the Service record.
    pub path: &'a str,
    /// `funded_hours_per_week`, when recorded and not negative.
    pub funded_hours: Option<f64>,
    /// `weekly_cost`, when recorded and not negative.
    pub weekly_cost: Option<f64>,
}

/// A warning of the rule.
pub(crate) struct Finding {
    pub code: IssueCode,
    pub path: String,
    pub message: String,
    pub context: Map<String, Value>,
}

/// A figure the rule reads: a number that is not negative.
pub(crate) fn figure(n: Option<f64>) -> Option<f64> {
    n.filter(|f| f.is_finite() && *f >= 0.0)
}

/// Whether `planned` is more than `funded`, allowing for the rounding of decimal sums
/// (7.5 + 3 written as 10.5 is not more).
fn exceeds(planned: f64, funded: f64) -> bool {
    planned - funded > 1e-9 * funded.abs().max(1.0)
}

/// Check one plan against its envelope.
pub(crate) fn check(plan: &Plan<'_>, include_values: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let hours = Measure {
        element: "planned_hours_per_week",
        funded_element: "funded_hours_per_week",
        message: "the plan's planned hours per week are more than the hours per week funded for the services it names",
    };
    let cost = Measure {
        element: "weekly_cost",
        funded_element: "weekly_cost",
        message:
            "the plan's weekly cost is more than the weekly cost funded for the services it names",
    };
    hours.check(
        plan,
        plan.planned_hours,
        |s| s.funded_hours,
        include_values,
        &mut out,
    );
    cost.check(
        plan,
        plan.weekly_cost,
        |s| s.weekly_cost,
        include_values,
        &mut out,
    );
    out
}

struct Measure {
    element: &'static str,
    funded_element: &'static str,
    message: &'static str,
}

impl Measure {
    fn check(
        &self,
        plan: &Plan<'_>,
        planned: Option<f64>,
        funded_of: impl Fn(&Service<'_>) -> Option<f64>,
        include_values: bool,
        out: &mut Vec<Finding>,
    ) {
        let Some(planned) = planned else { return };
        let counted: Vec<(&str, f64)> = plan
            .services
            .iter()
            .filter_map(|s| funded_of(s).map(|f| (s.path, f)))
            .collect();
        if counted.is_empty() {
            return;
        }
        let funded: f64 = counted.iter().map(|(_, f)| f).sum();
        if !exceeds(planned, funded) {
            return;
        }
        let mut context = Map::new();
        context.insert("class".into(), "care_plan".into());
        context.insert("element".into(), self.element.into());
        context.insert("funded_element".into(), self.funded_element.into());
        context.insert(
            "services".into(),
            Value::Array(counted.iter().map(|(p, _)| (*p).into()).collect()),
        );
        if include_values {
            context.insert("value".into(), number(planned));
            context.insert("other_value".into(), number(funded));
        }
        let code = IssueCode::PlanExceedsFundedEnvelope;
        out.push(Finding {
            code,
            path: format!("{}/{}", plan.path, self.element),
            message: self.message.into(),
            context,
        });
    }
}

/// A JSON number, rounded to the hundredth (hours and pounds) so that a sum reads as written.
fn number(f: f64) -> Value {
    let r = (f * 100.0).round() / 100.0;
    serde_json::Number::from_f64(r).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(hours: Option<f64>, services: Vec<Option<f64>>) -> Vec<Finding> {
        let paths = ["/service/0", "/service/1", "/service/2"];
        let p = Plan {
            path: "/care_plan/0",
            planned_hours: hours,
            weekly_cost: None,
            services: services
                .into_iter()
                .enumerate()
                .map(|(i, h)| Service {
                    path: paths[i],
                    funded_hours: h,
                    weekly_cost: None,
                })
                .collect(),
        };
        check(&p, true)
    }

    #[test]
    fn within_and_over() {
        assert!(plan(Some(10.5), vec![Some(7.5), Some(3.0)]).is_empty());
        assert!(plan(Some(0.1 + 0.2), vec![Some(0.3)]).is_empty());
        let f = plan(Some(12.0), vec![Some(10.5), None]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path, "/care_plan/0/planned_hours_per_week");
        assert_eq!(f[0].context["services"], serde_json::json!(["/service/0"]));
        assert_eq!(f[0].context["other_value"], serde_json::json!(10.5));
    }

    #[test]
    fn nothing_to_compare() {
        assert!(plan(None, vec![Some(1.0)]).is_empty());
        assert!(plan(Some(40.0), vec![None, None]).is_empty());
        assert!(plan(Some(40.0), vec![]).is_empty());
    }
}
