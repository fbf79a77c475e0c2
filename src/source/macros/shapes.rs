//! Which string values of a JSON or YAML file are macro text, by the shape of known exports.
//!
//! - Zendesk macros (`{"macro": {...}}`, `{"macros": [...]}`, a bare macro or a list): the
//!   `value` of each action whose `field` is `comment_value` or `comment_value_html`.
//! - Intercom macros (`{"type": "macro", "body": html, "body_text": text}`, in `{"data": [...]}`
//!   lists): `body_text`, else `body`; saved replies with `blocks: [{"type", "text"}]` or `html`.
//! - Freshdesk canned responses (`title`, `content`, `content_html`): `content_html`, else
//!   `content` (the two hold the same reply, so only one is read).
//! - Help Scout saved replies (`name`, `text` in HTML, `chatText`): `text`, `chatText`, `body`.
//! - Other macro lists: an object with a title-like key (`title`, `name`, `subject`,
//!   `shortcut`) and a body-like one (`body`, `content`, `text`, `message`, `reply`).

use std::collections::{HashMap, HashSet};

use super::html::looks_like_html;
use super::TextField;
use crate::document::TemplateKind;
use crate::source::json_strings::Step;

/// Keys whose string values are read when a file has no known shape.
pub const BODY_KEYS: &[&str] = &["body", "content", "text", "message", "reply"];
const TITLE_KEYS: &[&str] = &["title", "name", "subject", "shortcut"];

/// One field chosen for linting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub index: usize,
    pub html: bool,
    pub kind: TemplateKind,
}

/// Whether the file is a conversation thread (`{"messages": [{"role": ...}]}`), which another
/// reader handles.
pub fn is_thread(fields: &[TextField]) -> bool {
    fields.iter().any(|f| {
        matches!(f.path.as_slice(),
            [Step::Key(m), Step::Index(_), Step::Key(r)] if m == "messages" && r == "role")
    })
}

fn key_of(path: &[Step]) -> Option<&str> {
    match path.last() {
        Some(Step::Key(k)) => Some(k.as_str()),
        _ => None,
    }
}

fn html_of(f: &TextField, forced: bool) -> bool {
    forced || looks_like_html(&f.value)
}

/// The fields of a recognised macro export, in document order; empty when the file has no
/// known shape.
pub fn known_export(fields: &[TextField]) -> Vec<Choice> {
    let mut chosen: Vec<Choice> = Vec::new();
    let mut taken: HashSet<usize> = HashSet::new();
    let mut choose = |chosen: &mut Vec<Choice>, index: usize, html: bool, kind| {
        if taken.insert(index) {
            chosen.push(Choice { index, html, kind });
        }
    };

    // Zendesk: the `value` (a string, or an array of strings) of comment actions.
    let mut comment_values: HashMap<Vec<Step>, bool> = HashMap::new();
    for f in fields {
        if let [.., Step::Key(actions), Step::Index(_), Step::Key(field)] = f.path.as_slice() {
            if actions == "actions"
                && field == "field"
                && (f.value == "comment_value" || f.value == "comment_value_html")
            {
                let mut value = f.path[..f.path.len() - 1].to_vec();
                value.push(Step::Key("value".to_string()));
                comment_values.insert(value, f.value == "comment_value_html");
            }
        }
    }
    if !comment_values.is_empty() {
        for (i, f) in fields.iter().enumerate() {
            let html = (0..=f.path.len())
                .rev()
                .find_map(|n| comment_values.get(&f.path[..n]).copied());
            // `["channel:all", "text"]`: the channel is not text.
            if let Some(html) = html {
                if !is_channel_marker(&f.value) {
                    choose(&mut chosen, i, html_of(f, html), TemplateKind::Zendesk);
                }
            }
        }
    }

    // The others: by the keys of each object.
    let mut objects: HashMap<&[Step], Vec<(&str, usize)>> = HashMap::new();
    let mut order: Vec<&[Step]> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if let Some(k) = key_of(&f.path) {
            let parent = &f.path[..f.path.len() - 1];
            objects
                .entry(parent)
                .or_insert_with(|| {
                    order.push(parent);
                    Vec::new()
                })
                .push((k, i));
        }
    }
    // Objects with Intercom `blocks`: their `html` repeats the blocks' text.
    let with_blocks: HashSet<&[Step]> = fields
        .iter()
        .filter_map(|f| {
            let at = f
                .path
                .iter()
                .position(|s| *s == Step::Key("blocks".to_string()))?;
            Some(&f.path[..at])
        })
        .collect();
    for parent in order {
        let keys = &objects[parent];
        let get = |name: &str| keys.iter().find(|(k, _)| *k == name).map(|(_, i)| *i);
        let value_is = |name: &str, want: &str| get(name).is_some_and(|i| fields[i].value == want);
        let in_blocks = matches!(parent, [.., Step::Key(b), Step::Index(_)] if b == "blocks");
        if let Some(i) = get("body_text") {
            choose(
                &mut chosen,
                i,
                html_of(&fields[i], false),
                TemplateKind::Intercom,
            );
        } else if value_is("type", "macro") && get("body").is_some() {
            let i = get("body").unwrap_or_default();
            choose(&mut chosen, i, true, TemplateKind::Intercom);
        } else if in_blocks && get("text").is_some() {
            let i = get("text").unwrap_or_default();
            choose(
                &mut chosen,
                i,
                html_of(&fields[i], false),
                TemplateKind::Intercom,
            );
        } else if let Some(i) = get("content_html") {
            choose(&mut chosen, i, true, TemplateKind::Freshdesk);
        } else if get("content").is_some() && get("title").is_some() {
            let i = get("content").unwrap_or_default();
            choose(
                &mut chosen,
                i,
                html_of(&fields[i], false),
                TemplateKind::Freshdesk,
            );
        } else if get("name").is_some() && (get("text").is_some() || get("chatText").is_some()) {
            for key in ["text", "chatText", "body"] {
                if let Some(i) = get(key) {
                    choose(
                        &mut chosen,
                        i,
                        html_of(&fields[i], false),
                        TemplateKind::HelpScout,
                    );
                }
            }
        } else if let Some(i) = get("html")
            .filter(|i| !with_blocks.contains(parent) && looks_like_html(&fields[*i].value))
        {
            choose(&mut chosen, i, true, TemplateKind::Intercom);
        } else if TITLE_KEYS.iter().any(|k| get(k).is_some()) {
            for key in BODY_KEYS {
                if let Some(i) = get(key) {
                    choose(
                        &mut chosen,
                        i,
                        html_of(&fields[i], false),
                        TemplateKind::Fields,
                    );
                }
            }
        }
    }
    chosen.sort_by_key(|c| c.index);
    chosen
}

fn is_channel_marker(value: &str) -> bool {
    value
        .strip_prefix("channel:")
        .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// Fields with a body-like key anywhere, for files with no known shape.
pub fn guessed(fields: &[TextField]) -> Vec<Choice> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| key_of(&f.path).is_some_and(|k| BODY_KEYS.contains(&k)))
        .map(|(index, f)| Choice {
            index,
            html: html_of(f, false),
            kind: TemplateKind::Fields,
        })
        .collect()
}

/// Fields selected by `--field` paths.
pub fn by_paths(fields: &[TextField], paths: &[super::FieldPath]) -> Vec<Choice> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| super::fields::any_selects(paths, &f.path))
        .map(|(index, f)| Choice {
            index,
            html: html_of(f, false),
            kind: TemplateKind::Fields,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json_strings;

    fn fields(json: &str) -> Vec<TextField> {
        json_strings::strings(json)
            .unwrap()
            .into_iter()
            .map(TextField::from)
            .collect()
    }

    fn chosen_values(json: &str) -> Vec<(String, bool, TemplateKind)> {
        let all = fields(json);
        known_export(&all)
            .into_iter()
            .map(|c| (all[c.index].value.clone(), c.html, c.kind))
            .collect()
    }

    #[test]
    fn zendesk_comment_actions_only() {
        let got = chosen_values(
            r#"{"macros": [{"title": "T", "actions": [
                {"field": "status", "value": "solved"},
                {"field": "comment_value", "value": ["channel:all", "Hi there"]},
                {"field": "comment_value_html", "value": "<p>Hello</p>"}]}], "count": 1}"#,
        );
        assert_eq!(
            got,
            [
                ("Hi there".to_string(), false, TemplateKind::Zendesk),
                ("<p>Hello</p>".to_string(), true, TemplateKind::Zendesk)
            ]
        );
    }

    #[test]
    fn freshdesk_reads_one_of_its_two_bodies() {
        let got = chosen_values(
            r#"[{"id": 1, "title": "Refund", "content": "Hi", "content_html": "<div>Hi</div>"}]"#,
        );
        assert_eq!(
            got,
            [("<div>Hi</div>".to_string(), true, TemplateKind::Freshdesk)]
        );
    }

    #[test]
    fn help_scout_and_intercom() {
        let hs =
            chosen_values(r#"{"id": 2, "name": "Sale", "text": "Hi<br />x", "chatText": "Hi x"}"#);
        assert_eq!(hs.len(), 2);
        assert!(hs.iter().all(|c| c.2 == TemplateKind::HelpScout));
        let ic = chosen_values(
            r#"{"type": "list", "data": [{"type": "macro", "name": "N", "body": "<p>A</p>", "body_text": "A"}]}"#,
        );
        assert_eq!(ic, [("A".to_string(), false, TemplateKind::Intercom)]);
        let blocks = chosen_values(
            r#"{"name": "N", "blocks": [{"type": "paragraph", "text": "One <b>two</b>"}], "html": "<p>One <b>two</b></p>"}"#,
        );
        assert_eq!(
            blocks,
            [("One <b>two</b>".to_string(), true, TemplateKind::Intercom)]
        );
    }

    #[test]
    fn config_files_are_not_exports() {
        for json in [
            r#"{"name": "pkg", "version": "1.0.0", "description": "A thing", "scripts": {"test": "x"}}"#,
            r#"{"compilerOptions": {"target": "es2020"}, "include": ["src"]}"#,
        ] {
            assert!(known_export(&fields(json)).is_empty(), "{json}");
        }
    }

    #[test]
    fn threads_are_recognised() {
        assert!(is_thread(&fields(
            r#"{"messages": [{"role": "customer", "text": "Hi"}]}"#
        )));
        assert!(!is_thread(&fields(r#"{"messages": [{"text": "Hi"}]}"#)));
    }
}
