// Care forms generated from the model (formSchema) and checked as the care worker types
// (validateField) and on submit (validateInstance), by the WebAssembly build of mods-sdk
// running in the page. No framework, no network after the page has loaded.
import init, { formSchema, validateField, validateInstance } from "../../bindings/wasm/pkg-web/mods_wasm.js";

// Which elements each form shows, in this order (the model's labels, hints and options
// come from formSchema). Elements inherited from Event / Versioned record that a care
// worker does not type (record uid, version, the person the record is about, the date)
// are filled in below.
const FORMS = [
  { id: "subject", title: "Subject of care", class: "subject_of_care",
    show: ["nhs_number", "person_name", "date_of_birth"],
    group: { person_name: ["title", "given_name", "family_name"] } },
  { id: "alert", title: "Alert", class: "alert",
    show: ["status", "alert_category", "free_text", "alert_start_date", "alert_end_date"] },
  { id: "medication", title: "Medication administration", class: "medication_administration",
    show: ["medication", "administration_status", "dose_given", "time", "administered_by",
      "administered_by_role", "reason_not_given"] },
];

// The people and medicines this demonstration knows, by record uid ("given by" may be a
// care worker or an unpaid carer such as the person's son).
const PEOPLE = [
  ["cw-emily", "Emily Carter, care worker"],
  ["uc-robert", "Robert Smith, unpaid carer (son)"],
];
const MEDICINES = [["med-amlodipine", "Amlodipine 5 mg tablets"]];
const REFERENCES = { administered_by: PEOPLE, witnessed_by: PEOPLE, medication: MEDICINES };

const today = () => new Date().toISOString().slice(0, 10);
const PLUMBING = {
  record_uid: () => `demo-${Date.now().toString(36)}`,
  version_number: () => 1,
  subject_of_care: () => "soc-demo",
  date: today,
};

const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  e.append(...children);
  return e;
};

/** One rendered control: where its value goes in the instance, and how to read it. */
class Control {
  constructor(form, field, pointer, input) {
    Object.assign(this, { form, field, pointer, input });
    this.errors = el("p", { id: `${input.id}-issues`, class: "field-issues", "aria-live": "polite" });
  }
  read() {
    const f = this.field, v = this.input.type === "checkbox" ? this.input.checked : this.input.value.trim();
    if (v === "" ) return null;
    switch (f.input) {
      case "checkbox": return v;
      case "number": return Number.isFinite(Number(v)) ? Number(v) : v;
      case "select": {
        const o = f.options.find((x) => x.code === v);
        return o ? { code: o.code, system: o.system, display: o.display } : { code: v };
      }
      case "datetime": return v.length === 16 ? `${v}:00${offset()}` : v;
      case "time": return v.length === 5 ? `${v}:00` : v;
      default: return v;
    }
  }
  show(issues) {
    this.errors.replaceChildren(...issues.map((i) => el("span", { class: i.severity === "error" ? "" : "warning", "data-code": i.code, text: `${i.message} ` })));
    const bad = issues.some((i) => i.severity === "error");
    this.input.setAttribute("aria-invalid", bad ? "true" : "false");
    const described = [this.hintId, issues.length ? this.errors.id : null].filter(Boolean).join(" ");
    if (described) this.input.setAttribute("aria-describedby", described);
    else this.input.removeAttribute("aria-describedby");
  }
}

function offset() {
  const m = -new Date().getTimezoneOffset(), s = m < 0 ? "-" : "+", a = Math.abs(m);
  return `${s}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

function inputFor(field, id) {
  const common = { id, name: id, required: field.required, "aria-required": field.required ? "true" : null };
  switch (field.input) {
    case "select": {
      const s = el("select", common, el("option", { value: "", text: "Choose…" }));
      for (const o of field.options) s.append(el("option", { value: o.code, text: o.display }));
      return s;
    }
    case "checkbox": return el("input", { ...common, type: "checkbox" });
    case "number": return el("input", { ...common, type: "text", inputmode: "decimal" });
    case "date": return el("input", field.date_precision.length === 1
      ? { ...common, type: "date" } : { ...common, type: "text", placeholder: "YYYY-MM-DD, YYYY-MM or YYYY" });
    case "time": return el("input", { ...common, type: "time" });
    case "datetime": return el("input", { ...common, type: "datetime-local" });
    case "reference": {
      const list = `${id}-choices`;
      const i = el("input", { ...common, type: "text", list, autocomplete: "off" });
      const d = el("datalist", { id: list });
      for (const [uid, who] of REFERENCES[field.element] ?? []) d.append(el("option", { value: uid, label: who }));
      i.after(d);
      return [i, d];
    }
    default:
      return el(field.element === "free_text" ? "textarea" : "input", {
        ...common, type: field.element === "free_text" ? null : "text",
        // the shape only: the NHS number's check digit is for validation to say
        inputmode: field.format === "nhs_number" ? "numeric" : null,
        maxlength: field.max_length,
        autocomplete: "off",
      });
  }
}

function renderField(form, field, pointer, parent) {
  const id = `${form.id}-${pointer.slice(1).replaceAll("/", "-")}`;
  const wrap = el("div", { class: "field" });
  const made = inputFor(field, id);
  const [input, ...extra] = Array.isArray(made) ? made : [made];
  const hintId = field.description ? `${id}-hint` : null;
  wrap.append(
    el("label", { for: id }, field.label, field.required ? el("span", { class: "required", text: " (required)" }) : ""),
  );
  if (hintId) wrap.append(el("p", { id: hintId, class: "hint", text: field.description }));
  const c = new Control(form, field, pointer, input);
  c.hintId = hintId;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  wrap.append(input, ...extra, c.errors);
  input.addEventListener(field.input === "select" || field.input === "checkbox" ? "change" : "input", () => check(form, c));
  parent.append(wrap);
  form.controls.push(c);
}

function renderForm(spec) {
  const schema = formSchema(spec.class);
  const form = { ...spec, schema, controls: [] };
  const f = el("form", { id: `form-${spec.id}`, novalidate: true, "aria-labelledby": `${spec.id}-title` });
  f.append(el("h2", { id: `${spec.id}-title`, text: spec.title }));
  f.append(el("div", { id: `${spec.id}-summary`, class: "summary", tabindex: "-1" }));
  for (const name of spec.show) {
    const field = schema.fields.find((x) => x.element === name);
    if (!field) continue; // not in this version of the model
    if (field.input === "group") {
      const set = el("fieldset", {}, el("legend", { text: field.label }));
      const base = field.repeats ? `/${name}/0` : `/${name}`;
      for (const sub of field.fields.filter((s) => (spec.group?.[name] ?? []).includes(s.element))) {
        renderField(form, sub, `${base}/${sub.element}`, set);
      }
      f.append(set);
    } else {
      renderField(form, field, `/${name}`, f);
    }
  }
  f.append(el("button", { type: "submit", text: `Save ${spec.title.toLowerCase()}` }));
  f.addEventListener("submit", (e) => { e.preventDefault(); submit(form); });
  form.plumbing = Object.fromEntries(schema.fields
    .filter((x) => x.required && PLUMBING[x.element] && !spec.show.includes(x.element))
    .map((x) => [x.element, PLUMBING[x.element]()]));
  return [form, f];
}

/** The instance the form holds now. */
function instance(form) {
  const out = { ...form.plumbing };
  for (const c of form.controls) {
    const v = c.read();
    if (v === null) continue;
    const parts = c.pointer.slice(1).split("/");
    const field = form.schema.fields.find((x) => x.element === parts[0]);
    let at = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = /^\d+$/.test(parts[i + 1]) ? [] : {};
      at = at[parts[i]] ??= next;
    }
    const last = parts[parts.length - 1];
    at[last] = parts.length === 1 && field.repeats ? [v] : v;
  }
  return out;
}

/** The element of the form an issue belongs to: the control whose pointer is the longest
 * prefix of the issue's (a repeating element's first value counts as the element). */
function controlFor(form, pointer) {
  let best = null;
  for (const c of form.controls) {
    const p = c.pointer;
    const match = pointer === p || pointer.startsWith(`${p}/`) || p.startsWith(`${pointer}/`) && /\/0(\/|$)/.test(p);
    if (match && (!best || p.length > best.pointer.length)) best = c;
  }
  return best;
}

function check(form, changed) {
  const top = changed.pointer.split("/")[1];
  const value = instance(form);
  const issues = validateField(form.class, top, value[top] ?? null, value);
  // the issues of every control of that element (a group has several)
  for (const c of form.controls.filter((x) => x.pointer.split("/")[1] === top)) {
    c.show(issues.filter((i) => controlFor(form, i.pointer) === c));
  }
}

function submit(form) {
  const report = validateInstance(form.class, instance(form));
  const summary = document.getElementById(`${form.id}-summary`);
  for (const c of form.controls) c.show(report.issues.filter((i) => controlFor(form, i.pointer) === c));
  const errors = report.issues.filter((i) => i.severity === "error");
  if (!errors.length) {
    summary.className = "summary ok";
    summary.setAttribute("role", "status");
    summary.replaceChildren(el("h3", { text: `${form.title} saved on this device` }));
    return;
  }
  summary.className = "summary";
  summary.setAttribute("role", "alert");
  const list = el("ul");
  for (const i of errors) {
    const c = controlFor(form, i.pointer);
    const label = c ? c.field.label : form.schema.fields.find((x) => x.element === i.path[0])?.label ?? i.pointer;
    const text = `${label}: ${i.message}`;
    list.append(el("li", { "data-code": i.code }, c ? el("a", { href: `#${c.input.id}`, text }) : text));
  }
  summary.replaceChildren(el("h3", { text: `There ${errors.length === 1 ? "is a problem" : `are ${errors.length} problems`}` }), list);
  summary.focus();
}

async function main() {
  const status = document.getElementById("status");
  try {
    await init();
    const tabs = document.getElementById("tabs"), forms = document.getElementById("forms");
    for (const spec of FORMS) {
      const [, f] = renderForm(spec);
      forms.append(f);
      tabs.append(el("li", {}, el("a", { href: `#form-${spec.id}`, text: spec.title })));
    }
    status.textContent = "Ready: the rules run on this device.";
    document.body.dataset.ready = "true";
  } catch (e) {
    status.textContent = `The forms could not start: ${e.message}`;
    document.body.dataset.ready = "failed";
  }
}

main();
