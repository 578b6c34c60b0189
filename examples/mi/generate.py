#!/usr/bin/env python3
"""Write synthetic MODS records, one per line, for the management information example
and its benchmark: `generate.py N [SEED] > people.ndjson`.

Every person is invented: the NHS numbers are made to pass the Modulus 11 check from a
counter, names are drawn from short lists of common names (and never reach a count or an
extract), dates of birth, ethnic categories, gender identities, needs and care plans are drawn from a seeded
random generator, so the same N and SEED always give the same file.
"""
import json
import random
import sys

ETHNIC = ["A"] * 30 + ["B", "C", "C", "D", "E", "F", "G", "H", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z"]
GENDER = ["1"] * 10 + ["2"] * 11 + ["3", "4", "Z"]
DOMAINS = ["physical", "physical", "physical", "mental-health", "emotional", "social", "environmental"]
PLANS = ["care-and-support-plan"] * 6 + ["carers-support-plan", "personalised-care-and-support-plan"]
GIVEN = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Jamie", "Morgan", "Ali", "Kim"]
FAMILY = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Khan", "Patel", "Evans", "Walker"]
SETTINGS = ["domiciliary-care"] * 4 + ["care-home-without-nursing", "care-home-with-nursing", "supported-living", "extra-care-housing", "day-service"]


def nhs_number(n):
    """The n-th ten-digit number that passes the Modulus 11 check (prefix 999: not issued)."""
    while True:
        digits = [int(c) for c in f"999{n:06d}"]
        total = sum(d * w for d, w in zip(digits, range(10, 1, -1)))
        check = 11 - total % 11
        n += 1
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check), n


def person(i, counter, rnd):
    nhs, counter = nhs_number(counter)
    born = f"{rnd.randint(1925, 2006)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    record = {
        "mods_version": "1.0",
        "subject_of_care": {
            "record_uid": f"soc-{i}",
            "version_number": 1,
            "nhs_number": nhs,
            "person_name": [{"given_name": [rnd.choice(GIVEN)], "family_name": rnd.choice(FAMILY)}],
            "date_of_birth": born,
            "person_demographics": f"pd-{i}",
        },
        "person_demographics": [{
            "record_uid": f"pd-{i}",
            "version_number": 1,
            "date_of_birth": born,
            "ethnicity": {"code": rnd.choice(ETHNIC)},
            "gender_identity": {"code": rnd.choice(GENDER)},
            "sexual_orientation": {"code": "U"},
        }],
        "care_provider": [{
            "record_uid": f"prov-{i}",
            "version_number": 1,
            "organisation_name": "Example Care Services",
            "cqc_location_identifier": f"1-{100000000 + i}",
            "care_setting_type": [{"code": rnd.choice(SETTINGS)}],
        }],
        "need": [],
        "care_plan": [],
    }
    for k in range(rnd.randint(1, 3)):
        record["need"].append({
            "record_uid": f"need-{i}-{k}",
            "version_number": 1,
            "subject_of_care": f"soc-{i}",
            "date": f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "need_description": "Support with daily living",
            "need_domain": [{"code": rnd.choice(DOMAINS)}],
            "eligible_under_care_act": rnd.random() < 0.8,
            "need_status": {"code": "active"},
        })
    record["care_plan"].append({
        "record_uid": f"plan-{i}",
        "version_number": 1,
        "subject_of_care": f"soc-{i}",
        "plan_type": {"code": rnd.choice(PLANS)},
        "plan_status": {"code": "active"},
        "plan_start_date": f"2026-{rnd.randint(1, 6):02d}-{rnd.randint(1, 28):02d}",
    })
    return record, counter


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 14
    rnd = random.Random(seed)
    counter = 1
    out = sys.stdout
    for i in range(n):
        record, counter = person(i, counter, rnd)
        out.write(json.dumps(record, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
