use super::*;
use serde_json::json;

const GREEN: &str = include_str!("../../../../examples/records/mr-green.json");
const EARLIER: &str = include_str!("../../../../examples/flows/days/mr-green-earlier-days.json");

fn green() -> Value {
    serde_json::from_str(GREEN).unwrap()
}

fn span(s: &str) -> DaySpan {
    DaySpan::parse(s).unwrap()
}

fn run(record: &Value, other: Option<&Value>, day: &str, against: &str) -> Value {
    let c = compare_days(record, other, &span(day), &span(against)).unwrap();
    serde_json::to_value(c).unwrap()
}

/// The element `name` in the period `period` (its code; `null` for none).
fn element<'v>(c: &'v Value, period: Value, name: &str) -> &'v Value {
    let p = c["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == period)
        .unwrap_or_else(|| panic!("no period {period}"));
    p["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["element"] == name)
        .unwrap_or_else(|| panic!("no {name} in {period}"))
}

fn medicine<'v>(c: &'v Value, uid: &str) -> &'v Value {
    c["medicines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["medication"] == uid)
        .unwrap()
}

#[test]
fn elizas_day_against_emilys_a_week_earlier() {
    let c = run(&green(), None, "2026-02-03", "2026-01-27");
    assert_eq!(
        c["day"]["notes"],
        json!(["dcn-green-0203-am", "dcn-green-0203-pm"])
    );
    assert_eq!(
        c["against"]["notes"],
        json!(["dcn-green-0127-am", "dcn-green-0127-pm"])
    );
    let periods: Vec<&Value> = c["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["period"])
        .collect();
    assert_eq!(periods, [&json!("morning"), &json!("afternoon")]);
    // mood: happy at choir on both Tuesdays; settled against happy after lunch
    let m = element(&c, json!("morning"), "mood");
    assert_eq!(
        (m["verdict"].as_str(), &m["usual"]["day"]),
        (Some("same"), &json!(["happy"]))
    );
    let m = element(&c, json!("afternoon"), "mood");
    assert_eq!(m["verdict"], "changed");
    assert_eq!(
        m["usual"],
        json!({"day": ["settled"], "against": ["happy"]})
    );
    // fluid intake per period and per day
    let f = element(&c, json!("afternoon"), "fluid_intake");
    assert_eq!(
        (f["verdict"].as_str(), &f["difference"]),
        (Some("changed"), &json!(-150))
    );
    assert_eq!(c["fluid_intake"]["day"]["total_ml"], 1250);
    assert_eq!(
        c["fluid_intake"]["against"]["per_day"],
        json!([{"date": "2026-01-27", "total_ml": 1450, "notes": 2}])
    );
    assert_eq!(c["fluid_intake"]["difference_ml"], -200);
    // free text: the same words are `same`, shown once; other words are both shown
    let s = element(&c, json!("morning"), "sleep");
    assert_eq!(s["verdict"], "same");
    let s = element(&c, json!("afternoon"), "sleep");
    assert_eq!(s["verdict"], "changed");
    assert!(s["day"][0]["shown"]
        .as_str()
        .unwrap()
        .starts_with("Afternoon nap"));
    assert!(s["against"][0]["shown"]
        .as_str()
        .unwrap()
        .starts_with("Nap in his room"));
    assert_eq!(
        element(&c, json!("morning"), "general_note")["verdict"],
        "only_day"
    );
    assert_eq!(
        element(&c, json!("afternoon"), "mood_note")["verdict"],
        "only_day"
    );
    // doses: compared by medicine; his 09:00 tablet on both mornings
    let d = element(&c, json!("morning"), "medication_administrations");
    assert_eq!(d["verdict"], "same");
    assert_eq!(d["day"][0]["shown"], "Amlodipine 5mg tablets at 09:00");
    // references resolved to names, every care actor of a note
    let a = element(&c, json!("morning"), "care_actor");
    assert_eq!(
        (
            a["day"][0]["shown"].as_str(),
            a["against"][0]["shown"].as_str()
        ),
        (
            Some("Eliza Nowak; Mahsa Karimi"),
            Some("Emily Carter; Mahsa Karimi")
        )
    );
    assert_eq!(a["verdict"], "changed");
    assert_eq!(element(&c, json!("morning"), "location")["verdict"], "same");
    // medicines over the day: the same nurse gave the same tablet
    let p = medicine(&c, "med-green-amlodipine");
    assert_eq!(
        (p["day"]["taken"].as_u64(), p["against"]["taken"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(p["verdict"], "same");
    assert_eq!(
        p["day"]["administrations"][0]["administered_by"],
        "Eva Lindqvist"
    );
    assert_eq!(c["medicines"].as_array().unwrap().len(), 1);
    // who helped: Eliza instead of Emily; Mahsa and Eva on both days
    assert_eq!(c["helpers"]["only_day"], json!(["cw-eliza"]));
    assert_eq!(c["helpers"]["only_against"], json!(["cw-emily"]));
    let eliza = &c["helpers"]["day"][0];
    assert_eq!(
        (eliza["name"].as_str(), &eliza["notes"], &eliza["doses"]),
        (Some("Eliza Nowak"), &json!(2), &json!(0))
    );
    let eva = &c["helpers"]["day"][2];
    assert_eq!(
        (
            eva["reference"].as_str(),
            eva["role"].as_str(),
            &eva["doses"]
        ),
        (Some("cw-eva"), Some("Health professional"), &json!(1))
    );
    assert_eq!(c["unresolved"], json!([]));
    assert_eq!(c["validation"]["record"]["valid"], true);
    let c = compare_days(&green(), None, &span("2026-02-03"), &span("2026-01-27")).unwrap();
    assert!(!c.needs_attention());
}

#[test]
fn a_period_in_another_document_gives_the_usual() {
    let earlier: Value = serde_json::from_str(EARLIER).unwrap();
    let c = run(
        &green(),
        Some(&earlier),
        "2026-02-03",
        "2026-01-31..2026-02-02",
    );
    assert_eq!(c["against"]["document"], "against_record");
    assert_eq!(c["against"]["days"], 3);
    assert_eq!(
        c["against"]["dates_with_notes"],
        json!(["2026-01-31", "2026-02-01", "2026-02-02"])
    );
    // usual mood: the most common code over the period
    assert_eq!(c["mood"]["against"]["usual"], json!(["settled"]));
    assert_eq!(
        c["mood"]["against"]["counts"][0],
        json!({"code": "settled", "display": "Settled", "count": 4})
    );
    // a tie keeps every tied code
    assert_eq!(c["mood"]["day"]["usual"], json!(["happy", "settled"]));
    assert_eq!(c["mood"]["verdict"], "changed");
    let m = element(&c, json!("afternoon"), "mood");
    assert_eq!(m["usual"]["against"], json!(["happy"]));
    assert_eq!(m["against"].as_array().unwrap().len(), 3);
    // usual fluid intake: the mean per day
    assert_eq!(c["fluid_intake"]["against"]["usual_per_day_ml"], 1400);
    assert_eq!(c["fluid_intake"]["against"]["total_ml"], 4200);
    assert_eq!(c["fluid_intake"]["difference_ml"], -150);
    assert_eq!(
        element(&c, json!("morning"), "fluid_intake")["difference"],
        -50
    );
    // a medicine taken daily on both sides is the same; per day, not in all
    let a = medicine(&c, "med-green-amlodipine");
    assert_eq!(
        (a["against"]["taken"].as_u64(), a["verdict"].as_str()),
        (Some(3), Some("same"))
    );
    // the as-required paracetamol of the Saturday was not needed on the day
    let p = medicine(&c, "med-green-paracetamol");
    assert_eq!(
        (p["day"]["taken"].as_u64(), p["verdict"].as_str()),
        (Some(0), Some("only_against"))
    );
    // Susan, a personal contact, helped on the Sunday
    let susan = c["helpers"]["against"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["reference"] == "pc-susan")
        .unwrap();
    assert_eq!(
        (susan["class"].as_str(), susan["role"].as_str()),
        (Some("personal_contact"), Some("daughter"))
    );
    // text the same on every day of both sides is `same`
    let c = run(&earlier, None, "2026-02-01", "2026-02-02");
    assert_eq!(
        element(&c, json!("morning"), "personal_care")["verdict"],
        "same"
    );
    assert_eq!(
        element(&c, json!("morning"), "activities")["verdict"],
        "changed"
    );
}

#[test]
fn a_medicine_missing_on_the_day_is_only_against() {
    // Saturday's notes have paracetamol; Sunday's do not.
    let earlier: Value = serde_json::from_str(EARLIER).unwrap();
    let c = run(&earlier, None, "2026-02-01", "2026-01-31");
    let p = medicine(&c, "med-green-paracetamol");
    assert_eq!(
        (p["verdict"].as_str(), p["day"]["taken"].as_u64()),
        (Some("only_against"), Some(0))
    );
    assert_eq!(medicine(&c, "med-green-amlodipine")["verdict"], "same");
}

#[test]
fn doses_not_taken_and_doses_not_in_the_notes() {
    let mut r = green();
    // the 09:00 tablet refused, then taken at 09:40 in a dose that no note references
    let mut later = r["medication_administration"][1].clone();
    r["medication_administration"][1]["administration_status"] = json!({"code": "refused"});
    later["record_uid"] = json!("ma-green-0203-amlo2");
    later["time"] = json!("09:40:00");
    r["medication_administration"]
        .as_array_mut()
        .unwrap()
        .push(later);
    let c = run(&r, None, "2026-02-03", "2026-01-27");
    let p = medicine(&c, "med-green-amlodipine");
    assert_eq!(p["day"]["taken"], 1);
    let doses = p["day"]["administrations"].as_array().unwrap();
    assert_eq!(
        (doses[0]["status"].as_str(), doses[0]["taken"].as_bool()),
        (Some("refused"), Some(false))
    );
    assert_eq!(
        (
            doses[1]["record_uid"].as_str(),
            doses[1]["in_notes"].as_bool()
        ),
        (Some("ma-green-0203-amlo2"), Some(false))
    );
    assert_eq!(p["verdict"], "same");
}

#[test]
fn references_that_do_not_resolve_are_reported() {
    let mut r = green();
    r["daily_care_note"][2]["care_actor"] = json!(["cw-nobody"]);
    r["daily_care_note"][2]["location"] = json!("cw-emily");
    r["daily_care_note"][3]["medication_administrations"] = json!(["ma-missing"]);
    r["medication_administration"][1]["medication"] = json!("med-gone");
    let c = run(&r, None, "2026-02-03", "2026-01-27");
    let got: Vec<(String, String, Value)> = c["unresolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["pointer"].as_str().unwrap().to_owned(),
                u["reference"].as_str().unwrap().to_owned(),
                u["found_class"].clone(),
            )
        })
        .collect();
    // each once, though several passes meet them, in document order
    let want = [
        ("/daily_care_note/2/care_actor/0", "cw-nobody", Value::Null),
        (
            "/daily_care_note/2/location",
            "cw-emily",
            json!("care_worker"),
        ),
        (
            "/daily_care_note/3/medication_administrations/0",
            "ma-missing",
            Value::Null,
        ),
        (
            "/medication_administration/1/medication",
            "med-gone",
            Value::Null,
        ),
    ]
    .map(|(p, r, c)| (p.to_owned(), r.to_owned(), c));
    assert_eq!(got, want);
    let a = element(&c, json!("morning"), "care_actor");
    assert_eq!(a["day"][0]["shown"], "(not found: cw-nobody)");
    assert_eq!(c["helpers"]["day"][0]["name"], Value::Null);
    assert_eq!(medicine(&c, "med-gone")["name"], "(not found: med-gone)");
    assert_eq!(c["validation"]["record"]["valid"], false);
    let c = compare_days(&r, None, &span("2026-02-03"), &span("2026-01-27")).unwrap();
    assert!(c.needs_attention());
}

#[test]
fn notes_without_a_full_date_or_period() {
    let mut r = green();
    r["daily_care_note"][0]["date"] = json!("2026-02");
    r["daily_care_note"][1]
        .as_object_mut()
        .unwrap()
        .remove("date");
    r["daily_care_note"]
        .as_array_mut()
        .unwrap()
        .push(json!("not a note"));
    r["daily_care_note"][3]
        .as_object_mut()
        .unwrap()
        .remove("period_covered");
    let c = run(&r, None, "2026-02-03", "2026-01-27");
    let skipped: Vec<(&str, &str)> = c["skipped_notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["pointer"].as_str().unwrap(),
                s["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        [
            ("/daily_care_note/0", "not_a_full_date"),
            ("/daily_care_note/1", "no_date"),
            ("/daily_care_note/4", "not_an_object")
        ]
    );
    assert_eq!(c["against"]["notes"], json!([]));
    // the note without a period comes last, under `null`
    let last = c["periods"].as_array().unwrap().last().unwrap();
    assert_eq!(
        (&last["period"], last["period_name"].as_str()),
        (&Value::Null, Some("Period not given"))
    );
    assert_eq!(element(&c, Value::Null, "mood")["verdict"], "only_day");
    assert_eq!(c["fluid_intake"]["verdict"], "only_day");
    assert_eq!(c["fluid_intake"]["difference_ml"], Value::Null);
}

#[test]
fn days_without_notes_compare_to_nothing() {
    let c = run(&green(), None, "2027-01-01", "2026-01-27..2026-02-03");
    assert_eq!(c["day"]["notes"], json!([]));
    assert_eq!(c["against"]["notes"].as_array().unwrap().len(), 4);
    assert_eq!(c["mood"]["verdict"], "only_against");
    assert!(c["periods"][0]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["verdict"] == "only_against"));
    let c = run(
        &json!({"mods_version": "1.0"}),
        None,
        "2026-02-03",
        "2026-02-02",
    );
    assert_eq!(
        (
            c["periods"].as_array().unwrap().len(),
            &c["helpers"]["verdict"]
        ),
        (0, &Value::Null)
    );
    assert_eq!(c["validation"]["record"]["valid"], false);
}

#[test]
fn what_cannot_be_compared() {
    let d = span("2026-02-03");
    let e = |r: &Value, o: Option<&Value>| compare_days(r, o, &d, &d).unwrap_err();
    assert_eq!(e(&json!([]), None), CompareError::NotARecord("record"));
    assert!(matches!(
        e(&json!({}), None),
        CompareError::Version("record", _)
    ));
    assert!(matches!(
        e(&json!({"mods_version": "9"}), None),
        CompareError::Version(..)
    ));
    let old = json!({"mods_version": "0.2.1"});
    assert_eq!(
        e(&old, None),
        CompareError::NoDailyCareNote("record", "0.2.1".into())
    );
    assert!(e(&old, None).to_string().contains("migrate it first"));
    assert_eq!(
        e(&green(), Some(&json!(1))),
        CompareError::NotARecord("against record")
    );
    let mut other: Value = serde_json::from_str(EARLIER).unwrap();
    other["subject_of_care"]["nhs_number"] = json!("9434765870");
    assert_eq!(e(&green(), Some(&other)), CompareError::DifferentPeople);
    // the message says which rule, never the person's data
    assert!(!CompareError::DifferentPeople.to_string().contains("943"));
    // the same number written with spaces is the same person
    other["subject_of_care"]["nhs_number"] = json!("943 476 5919");
    assert!(compare_days(&green(), Some(&other), &d, &d).is_ok());
}

#[test]
fn odd_values_are_shown_not_trusted() {
    let mut r = green();
    r["daily_care_note"][2]["fluid_intake"] = json!("lots");
    r["daily_care_note"][2]["mood"] = json!("cheerful");
    r["daily_care_note"][2]["care_actor"] = json!("cw-eliza");
    let c = run(&r, None, "2026-02-03", "2026-01-27");
    let f = element(&c, json!("morning"), "fluid_intake");
    assert_eq!(
        (f["day"][0]["shown"].as_str(), &f["usual"]["day"]),
        (Some("\"lots\""), &Value::Null)
    );
    assert_eq!(f["verdict"], "changed");
    assert_eq!(c["fluid_intake"]["day"]["total_ml"], 650);
    assert_eq!(element(&c, json!("morning"), "mood")["verdict"], "changed");
    assert_eq!(
        element(&c, json!("morning"), "care_actor")["day"][0]["shown"],
        "Eliza Nowak"
    );
}
