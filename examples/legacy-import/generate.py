#!/usr/bin/env python3
"""Write clients.csv and documents/: a synthetic legacy export of 300 people.

Every person is invented; NHS numbers are from the 999 test range and pass the Modulus 11
check. The export is messy the way real ones are: one row per person, alert and contact
(a flattened join, so a person's alerts repeat once per contact), mixed date formats,
free-text ethnicity and gender, names written two ways, duplicated rows, a missing NHS
number, a row with too many fields (an unquoted comma), an ethnicity with no translation, a
letter whose file is missing, and a column the mapping does not know.

Run from anywhere: python3 examples/legacy-import/generate.py (deterministic: same output
every time). For a benchmark, `--people N --out DIR` writes a larger export of the same kind
to DIR instead (about 1.6 rows per person: 60,000 people give about 100,000 rows).
"""

import argparse
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261130)

GIVEN = ["Ann", "Arthur", "Betty", "Colin", "Doreen", "Edward", "Fatima", "George", "Hannah",
         "Imran", "Joan", "Kenneth", "Leila", "Margaret", "Nasreen", "Oliver", "Patricia",
         "Rajesh", "Sheila", "Thomas", "Una", "Victor", "Winifred", "Yusuf", "Zofia"]
FAMILY = ["Ahmed", "Barker", "Clarke", "Dawson", "Evans", "Fletcher", "Green", "Hussain",
          "Iqbal", "Jones", "Kowalski", "Lewis", "Mistry", "Nowak", "Okafor", "Patel",
          "Quinn", "Roberts", "Shah", "Taylor", "Walsh", "Young"]
STREETS = ["Mill Lane", "Church Street", "Station Road", "Park Avenue", "Oak Close",
           "Victoria Road", "Bridge Street", "Moss Lane"]
TOWNS = [("Salford", "M6"), ("Manchester", "M20"), ("Stockport", "SK4"), ("Bolton", "BL1"),
         ("Oldham", "OL8"), ("Bury", "BL9")]
ETHNICITY = ["White British", "white british", "British", "White Irish", "Irish",
             "Indian", "Pakistani", "Bangladeshi", "Black Caribbean", "Black African",
             "Chinese", "Mixed White/Black Caribbean", "Any other white background",
             "Not stated", "Prefer not to say", ""]
GENDER = ["M", "F", "Male", "Female", "m", "f", "Non-binary", ""]
ORIENTATION = ["Heterosexual", "Heterosexual", "Heterosexual", "Gay", "Bisexual",
               "Declined", "Don't know", ""]
ALERTS = [("Falls risk", "Has fallen twice this year; uses a frame"),
          ("Lives alone", "No one at home overnight"),
          ("Key safe", "Key safe by the back door"),
          ("Dog at property", "Friendly dog, keep in the kitchen on visits"),
          ("Diabetic diet", "Type 2 diabetes, diet controlled")]
RELATIONSHIP = ["Daughter", "Son", "Wife", "Husband", "Neighbour", "Friend", "Niece"]
LETTERS = ["documents/letters/assessment-letter-{}.txt", "documents/letters/review-{}.pdf"]


def nhs_number(n):
    """A 999-range NHS number with a valid Modulus 11 check digit (None if none fits)."""
    digits = [9, 9, 9] + [int(d) for d in f"{n:06d}"]
    total = sum(d * (10 - i) for i, d in enumerate(digits))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return None
    return "".join(map(str, digits)) + str(check)


def date_of_birth():
    y, m, d = rng.randint(1925, 1975), rng.randint(1, 12), rng.randint(1, 28)
    style = rng.choice(["uk"] * 10 + ["iso"] * 8 + ["partial"])
    if style == "uk":
        return f"{d:02d}/{m:02d}/{y}"
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    return f"{m:02d}/{y}"  # the legacy system only knew the month and year


def main(count=300, out=HERE):
    people = []
    serial = 0
    for i in range(count):
        serial += 1
        nhs = nhs_number(serial % 1000000)
        while nhs is None:
            serial += 1
            nhs = nhs_number(serial % 1000000)
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        name = f"{family.upper()}, {given}" if rng.random() < 0.5 else f"{given} {family}"
        town, district = rng.choice(TOWNS)
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        address = f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {town}, {postcode}"
        alerts = rng.sample(ALERTS, rng.choice([0, 1, 1, 2]))
        contacts = [(f"{rng.choice(GIVEN)} {family}", rng.choice(RELATIONSHIP),
                     f"07700 9{rng.randint(0, 99999):05d}") for _ in range(rng.choice([0, 1, 1, 2]))]
        letter = rng.choice(LETTERS).format(i % 5) if rng.random() < 0.2 else ""
        people.append({
            "client_id": f"C{100000 + i * 7}",
            "nhs_no": nhs,
            "client_name": name,
            "dob": date_of_birth(),
            "gender": rng.choice(GENDER),
            "ethnicity": rng.choice(ETHNICITY),
            "orientation": rng.choice(ORIENTATION),
            "address": address,
            "alerts": alerts,
            "contacts": contacts,
            "letter": letter,
            "team": rng.choice(["North", "South", "Central"]),
            "died": rng.choice(["03/2025", "2025", "12/02/2025"]) if rng.random() < 0.04 else "",
        })
    # the messiness
    people[7]["nhs_no"] = ""                       # a missing NHS number
    people[12]["ethnicity"] = "Eastern European"   # free text with no translation
    people[20]["letter"] = "documents/letters/lost-letter.pdf"  # a letter whose file is missing

    header = ["client_id", "nhs_no", "client_name", "dob", "gender", "ethnicity",
              "orientation", "died", "address", "alert_type", "alert_note", "alert_raised", "alert_date",
              "contact_name", "contact_relationship", "contact_phone", "letter_path",
              "team", "legacy_flag"]
    rows = []
    for p in people:
        base = [p["client_id"], p["nhs_no"], p["client_name"], p["dob"], p["gender"],
                p["ethnicity"], p["orientation"], p["died"], p["address"]]
        alerts = p["alerts"] or [None]
        contacts = p["contacts"] or [None]
        for a in alerts:
            for c in contacts:
                raised = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024 {rng.randint(8, 17):02d}:{rng.choice(['00', '15', '30', '45'])}"
                rows.append(base + (
                    [a[0], a[1], raised, raised[:10]] if a else ["", "", "", ""]) + (
                    list(c) if c else ["", "", ""]) + [
                    p["letter"], p["team"], rng.choice(["", "", "Y"])])
    # the same alert raised at one time: a person's alert rows agree on the date
    seen = {}
    for r in rows:
        key = (r[0], r[9])
        if r[9]:
            r[11] = seen.setdefault(key, r[11])
            r[12] = r[11][:10]
    # duplicated rows (the export ran a join twice for some people)
    for i in (3, 40, 41, 150):
        rows.insert(i + 1, list(rows[i]))
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "clients.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for n, r in enumerate(rows):
            if n == 100:
                # written without quoting: the commas in the address and the note make
                # two fields too many
                f.write(",".join(r) + "\n")
                continue
            w.writerow(r)
    docs = os.path.join(out, "documents", "letters")
    os.makedirs(docs, exist_ok=True)
    for i in range(5):
        with open(os.path.join(docs, f"assessment-letter-{i}.txt"), "w", encoding="utf-8") as f:
            f.write(f"Assessment letter {i} (synthetic).\n")
        with open(os.path.join(docs, f"review-{i}.pdf"), "wb") as f:
            f.write(b"%PDF-1.4\n% synthetic review letter " + str(i).encode() + b"\n%%EOF\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    main(args.people, args.out)
