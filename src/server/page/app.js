// The draft page: sends both boxes to POST /api/check as the agent types, then draws the
// report: underlines behind the draft (a layer with the same text and geometry as the
// textarea), the question map, and the findings with their one-click fixes.
"use strict";

const inbound = document.getElementById("inbound");
const draft = document.getElementById("draft");
const marks = document.getElementById("draft-marks");
const questionsList = document.getElementById("questions");
const findingsList = document.getElementById("findings");
const noQuestions = document.getElementById("no-questions");
const noFindings = document.getElementById("no-findings");
const statusLine = document.getElementById("status");
const atCaret = document.getElementById("at-caret");
const tip = document.getElementById("tip");

const DEBOUNCE_MS = 150;
let timer = null;
let sent = 0;
// The findings of the draft text they were computed on, spans in UTF-16 indices.
let current = { text: "", findings: [] };

// Report spans are UTF-8 byte offsets; the textarea counts UTF-16 code units.
function byteToIndex(text) {
  const map = new Map();
  let bytes = 0;
  let index = 0;
  map.set(0, 0);
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    index += ch.length;
    map.set(bytes, index);
  }
  return (b) => (map.has(b) ? map.get(b) : text.length);
}

function schedule(delay) {
  clearTimeout(timer);
  timer = setTimeout(check, delay);
}

async function check() {
  const text = draft.value;
  const id = ++sent;
  const started = performance.now();
  let report;
  try {
    const res = await fetch("/api/check", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ inbound: inbound.value, draft: text }),
    });
    report = await res.json();
    if (!res.ok) throw new Error(report.error || res.statusText);
  } catch (e) {
    statusLine.textContent = "Could not check: " + e.message;
    return;
  }
  if (id !== sent) return; // an answer to an older text
  const ms = Math.round(performance.now() - started);
  show(report, text, ms);
}

function show(report, text, ms) {
  const file = report.files[0] || { diagnostics: [], questions: [] };
  const toIndex = byteToIndex(text);
  const findings = file.diagnostics.map((d, i) => ({
    i,
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    suggestions: d.suggestions,
    start: toIndex(d.span.start),
    end: toIndex(d.span.end),
    fix: d.fix ? { start: toIndex(d.fix.span.start), end: toIndex(d.fix.span.end), replacement: d.fix.replacement } : null,
  }));
  current = { text, findings };
  drawMarks();
  drawQuestions(file.questions, text, toIndex);
  drawFindings();
  const open = file.questions.filter((q) => !q.addressed).length;
  const qs = file.questions.length
    ? `, ${file.questions.length - open} of ${file.questions.length} questions answered`
    : "";
  statusLine.textContent = `${findings.length} finding${findings.length === 1 ? "" : "s"}${qs} (checked in ${ms} ms)`;
  showAtCaret();
}

// Underlines: the draft's text with each finding wrapped in a <mark>, behind the textarea.
function drawMarks() {
  const { text, findings } = current;
  marks.textContent = "";
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let at = 0;
  for (const f of sorted) {
    if (f.start < at || f.end <= f.start) continue; // overlaps an earlier one, or empty
    marks.append(document.createTextNode(text.slice(at, f.start)));
    const m = document.createElement("mark");
    m.className = "finding " + f.severity;
    m.dataset.i = String(f.i);
    m.title = hint(f);
    m.textContent = text.slice(f.start, f.end);
    marks.append(m);
    at = f.end;
  }
  // A trailing newline needs a character after it to take up its line, as in the textarea.
  marks.append(document.createTextNode(text.slice(at) + "\u200b"));
  marks.scrollTop = draft.scrollTop;
}

function hint(f) {
  let s = `${f.message} (${f.rule})`;
  if (f.fix) s += `\nFix: “${f.fix.replacement}”`;
  else if (f.suggestions.length) s += `\nSuggestion: ${f.suggestions.join("; ")}`;
  return s;
}

function drawQuestions(questions, text, toIndex) {
  questionsList.textContent = "";
  noQuestions.hidden = questions.length > 0;
  for (const q of questions) {
    const li = document.createElement("li");
    li.className = "question " + (q.addressed ? "answered" : "open");
    const state = document.createElement("span");
    state.className = "state";
    state.textContent = q.addressed ? "Answered" : "Not answered";
    const qt = document.createElement("span");
    qt.className = "q";
    qt.textContent = q.text;
    const a = document.createElement("div");
    a.className = "a";
    if (q.addressed && q.answer) {
      const start = toIndex(q.answer.span.start);
      const end = toIndex(q.answer.span.end);
      a.textContent = "→ " + text.slice(start, end);
      const go = button("Show answer", () => select(start, end));
      li.append(state, qt, a, go);
    } else {
      a.textContent = "→ not answered";
      li.append(state, qt, a);
    }
    questionsList.append(li);
  }
}

function button(label, onClick, cls) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  if (cls) b.className = cls;
  b.addEventListener("click", onClick);
  return b;
}

function drawFindings() {
  const { text, findings } = current;
  findingsList.textContent = "";
  noFindings.hidden = findings.length > 0;
  for (const f of findings) {
    const li = document.createElement("li");
    li.className = "finding " + f.severity;
    const sev = document.createElement("span");
    sev.className = "sev";
    sev.textContent = f.severity;
    const msg = document.createElement("span");
    msg.textContent = f.message + " ";
    const rule = document.createElement("span");
    rule.className = "rule";
    rule.textContent = f.rule;
    li.append(sev, msg, rule);
    if (!f.fix && f.suggestions.length) {
      const h = document.createElement("div");
      h.className = "hint";
      h.textContent = "Suggestion: " + f.suggestions.join("; ");
      li.append(h);
    }
    const row = document.createElement("div");
    row.append(button("Show", () => select(f.start, f.end)));
    if (f.fix) {
      const old = text.slice(f.fix.start, f.fix.end);
      row.append(button(`Apply: “${old}” → “${f.fix.replacement}”`, () => apply(f), "apply"));
    }
    li.append(row);
    findingsList.append(li);
  }
}

function select(start, end) {
  draft.focus();
  draft.setSelectionRange(start, end);
  showAtCaret();
}

// Applies one fix, if the text it was computed on is still there, then checks again.
function apply(f) {
  const expected = current.text.slice(f.fix.start, f.fix.end);
  if (draft.value.slice(f.fix.start, f.fix.end) !== expected || draft.value !== current.text) {
    statusLine.textContent = "The draft changed; checking again before applying.";
    schedule(0);
    return;
  }
  draft.setRangeText(f.fix.replacement, f.fix.start, f.fix.end, "end");
  draft.focus();
  statusLine.textContent = `Applied: “${expected}” → “${f.fix.replacement}”.`;
  schedule(0);
}

// What the finding under the caret says, for keyboard users (read out by screen readers).
function showAtCaret() {
  const at = draft.selectionStart;
  const here = draft.value === current.text
    ? current.findings.filter((f) => f.start <= at && at <= f.end)
    : [];
  for (const m of marks.querySelectorAll("mark")) {
    m.classList.toggle("current", here.some((f) => String(f.i) === m.dataset.i));
  }
  atCaret.textContent = here.map(hint).join(" · ");
}

// Hover: the textarea is on top, so find the mark under the pointer by its boxes.
function hover(e) {
  for (const m of marks.querySelectorAll("mark")) {
    for (const r of m.getClientRects()) {
      if (e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom) {
        tip.textContent = m.title;
        tip.hidden = false;
        tip.style.left = Math.max(0, Math.min(e.clientX - 40, window.innerWidth - tip.offsetWidth - 8)) + "px";
        // Above the line, so the text around the pointer stays readable.
        const above = r.top - tip.offsetHeight - 6;
        tip.style.top = (above >= 0 ? above : r.bottom + 6) + "px";
        return;
      }
    }
  }
  tip.hidden = true;
}

draft.addEventListener("input", () => schedule(DEBOUNCE_MS));
inbound.addEventListener("input", () => schedule(DEBOUNCE_MS));
draft.addEventListener("scroll", () => { marks.scrollTop = draft.scrollTop; });
draft.addEventListener("mousemove", hover);
draft.addEventListener("mouseleave", () => { tip.hidden = true; });
for (const ev of ["keyup", "click", "focus"]) draft.addEventListener(ev, showAtCaret);
new ResizeObserver(() => {
  marks.style.height = draft.offsetHeight + "px";
}).observe(draft);
schedule(0);
