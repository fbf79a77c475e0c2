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

use crate::document::{Document, Format, Part};

use super::json_strings::{strings, Step};

/// A thread: the reply and the customer's messages it answers.
#[derive(Debug)]
pub struct Thread {
    pub reply: Document,
    pub inbound: Document,
}

/// Reads `source` as a thread; `None` when it is not JSON of the thread shape.
pub fn parse(source: &str) -> Option<Thread> {
    let value: serde_json::Value = serde_json::from_str(source).ok()?;
    let messages = value.get("messages")?.as_array()?;
    let roles: Vec<String> = messages
        .iter()
        .map(|m| {
            m.get("role")
                .and_then(|r| r.as_str())
                .map(str::to_lowercase)
        })
        .collect::<Option<_>>()?;
    if roles.is_empty() {
        return None;
    }
    let texts = strings(source).ok()?;
    let text_of = |i: usize| {
        texts.iter().find(|s| {
            s.path
                == [
                    Step::Key("messages".into()),
                    Step::Index(i),
                    Step::Key("text".into()),
                ]
        })
    };
    let part = |i: usize| {
        text_of(i).map(|s| Part {
            text: s.value.clone(),
            map: s.map.clone(),
            format: Format::Text,
            quoted: false,
        })
    };
    let is_agent = |r: &str| matches!(r, "agent" | "assistant" | "support" | "staff");
    let reply_at = roles.iter().rposition(|r| is_agent(r));
    let since = reply_at
        .and_then(|at| roles[..at].iter().rposition(|r| is_agent(r)))
        .map_or(0, |prev| prev + 1);
    let until = reply_at.unwrap_or(roles.len());
    let customer: Vec<Part> = (since..until)
        .filter(|&i| roles[i] == "customer")
        .filter_map(part)
        .collect();
    let reply: Vec<Part> = reply_at.and_then(part).into_iter().collect();
    Some(Thread {
        reply: Document::from_parts(source.to_string(), Format::Text, reply),
        inbound: Document::from_parts(source.to_string(), Format::Text, customer),
    })
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
        assert!(parse("not json").is_none());
    }
}
