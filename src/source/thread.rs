//! Conversation thread files (`.json`):
//!
//! ```json
//! {"messages": [
//!   {"role": "customer", "text": "Where is my order? Can I change the address?"},
//!   {"role": "agent", "text": "It ships today."}
//! ]}
//! ```
//!
//! The last `agent` message is the reply checked; the `customer` messages since the agent
//! message before it are the inbound. Both documents keep the whole JSON file as their source
//! and point inside its string values (escapes and all, via [`super::json_strings`]).
//! JSON of any other shape is not a thread: [`parse`] returns `None` and leaves it to other
//! readers.

use std::collections::HashMap;

use crate::diagnostic::LineIndex;
use crate::document::{Document, Format, Part};

use super::json_strings::{strings, JsonError, JsonString, Step};

/// A thread: the reply and the customer's messages it answers.
#[derive(Debug)]
pub struct Thread {
    pub reply: Document,
    pub inbound: Document,
}

/// Who wrote a message. Other roles (`system`, `note`) are neither and are passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Customer,
    Agent,
    Other,
}

impl Role {
    fn of(name: &str) -> Role {
        match name.to_lowercase().as_str() {
            "customer" | "user" => Role::Customer,
            "agent" | "assistant" | "support" | "staff" => Role::Agent,
            _ => Role::Other,
        }
    }
}

/// Reads `source` as a thread; `None` when it is not JSON of the thread shape.
pub fn parse(source: &str) -> Option<Thread> {
    read(source).ok()
}

/// Reads `source`, a file already known to be a thread (it has `messages` with a `role`);
/// the error names the line and column of the message that does not fit the shape.
pub fn read(source: &str) -> Result<Thread, JsonError> {
    let all = strings(source)?;
    let value: serde_json::Value = serde_json::from_str(source).map_err(|e| JsonError {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let messages = value
        .get("messages")
        .and_then(|m| m.as_array())
        .ok_or_else(|| problem(source, 0, "expected a `messages` array"))?;
    // Each message's `role` and `text` strings and its first string, indexed in one pass over
    // the file's strings (looking them up per message made a long thread quadratic).
    let mut fields: HashMap<(usize, &str), &JsonString> = HashMap::new();
    let mut first: HashMap<usize, usize> = HashMap::new();
    for s in &all {
        let [Step::Key(top), Step::Index(i), rest @ ..] = s.path.as_slice() else {
            continue;
        };
        if top != "messages" {
            continue;
        }
        first.entry(*i).or_insert(s.literal.start);
        if let [Step::Key(key)] = rest {
            if key == "role" || key == "text" {
                fields.entry((*i, key.as_str())).or_insert(s);
            }
        }
    }
    let field = |i: usize, key: &str| fields.get(&(i, key)).copied();
    // Where message `i` is, for errors: its first string, or the start of the file.
    let at = |i: usize| first.get(&i).copied().unwrap_or(0);
    let mut roles = Vec::with_capacity(messages.len());
    for i in 0..messages.len() {
        let role = field(i, "role").ok_or_else(|| {
            problem(
                source,
                at(i),
                &format!("message {} has no `role` string (customer or agent)", i + 1),
            )
        })?;
        let role = Role::of(&role.value);
        if role != Role::Other && field(i, "text").is_none() {
            return Err(problem(
                source,
                at(i),
                &format!("message {} has no `text` string", i + 1),
            ));
        }
        roles.push(role);
    }
    let part = |i: usize| field(i, "text").map(part_of);
    let reply_at = roles.iter().rposition(|r| *r == Role::Agent);
    let since = reply_at
        .and_then(|at| roles[..at].iter().rposition(|r| *r == Role::Agent))
        .map_or(0, |prev| prev + 1);
    let until = reply_at.unwrap_or(roles.len());
    let customer: Vec<Part> = (since..until)
        .filter(|&i| roles[i] == Role::Customer)
        .filter_map(part)
        .collect();
    let reply: Vec<Part> = reply_at.and_then(part).into_iter().collect();
    Ok(Thread {
        reply: Document::from_parts(source.to_string(), Format::Text, reply),
        inbound: Document::from_parts(source.to_string(), Format::Text, customer),
    })
}

fn part_of(s: &JsonString) -> Part {
    Part {
        text: s.value.clone(),
        map: s.map.clone(),
        format: Format::Text,
        quoted: false,
    }
}

fn problem(source: &str, offset: usize, message: &str) -> JsonError {
    let at = LineIndex::new(source).line_col(source, offset);
    JsonError {
        line: at.line,
        column: at.column,
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_agent_message_is_the_reply_and_customer_messages_since_are_inbound() {
        let src = r#"{"messages": [
  {"role": "customer", "text": "Old question?"},
  {"role": "agent", "text": "Old answer."},
  {"role": "customer", "text": "Where is my order?\nIt\u2019s late."},
  {"role": "customer", "text": "Can I change the address?"},
  {"role": "agent", "text": "It ships today."}
]}"#;
        let t = parse(src).expect("a thread");
        assert_eq!(t.reply.blocks.len(), 1);
        assert_eq!(t.reply.blocks[0].prose, "It ships today.");
        let inbound: Vec<_> = t.inbound.blocks.iter().map(|b| b.prose.as_str()).collect();
        assert_eq!(
            inbound,
            [
                "Where is my order?\nIt’s late.",
                "Can I change the address?"
            ]
        );
        let b = &t.inbound.blocks[0];
        let apos = b.prose.find('’').unwrap();
        assert_eq!(&src[b.to_source(apos..apos + 3)], r"\u2019");
        assert_eq!(&src[b.to_source(0..18)], "Where is my order?");
    }

    #[test]
    fn other_json_is_not_a_thread() {
        assert!(parse(r#"{"title": "Refund macro", "body": "Hi"}"#).is_none());
        assert!(parse(r#"{"messages": [{"text": "no role"}]}"#).is_none());
    }

    #[test]
    fn a_message_that_does_not_fit_is_named_with_its_line() {
        let src = "{\"messages\": [\n  {\"role\": \"customer\", \"text\": \"Hi?\"},\n  {\"text\": \"Hello\"}\n]}";
        let e = read(src).unwrap_err();
        assert_eq!((e.line, e.column), (3, 12));
        assert!(
            e.message.contains("message 2 has no `role`"),
            "{}",
            e.message
        );
        let src = r#"{"messages": [{"role": "agent", "body": "Hello"}]}"#;
        let e = read(src).unwrap_err();
        assert!(
            e.message.contains("message 1 has no `text`"),
            "{}",
            e.message
        );
        assert!(parse("not json").is_none());
    }
}
