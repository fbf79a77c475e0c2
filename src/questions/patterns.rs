//! The patterns of the question checks' fixed regexes ([`detect`](super::detect),
//! [`answer`](super::answer), [`compare`](super::compare)), in one file that `build.rs` reads too:
//! it determinizes each into a DFA stored in the binary, so a draft with a customer's question
//! compiles none of them (see [`BuiltInRegex`](crate::engine::prebuilt::BuiltInRegex)).

pub const WHEN: &str = r"(?i)(?:^\W*when\b|\bwhen\s+(?:will|would|does|do|did|is|are|can|could|should|was|were|shall)\b|\b(?:what\s+time|how\s+long|how\s+soon|eta|timeframe|time\s*frame|until\s+when|what\s+date)\b)";

pub const HOW_MUCH: &str = r"(?ix)\b(?:how\s+much|how\s+many
            | what(?:'s|\s+is|\s+are|\s+was|\s+would\s+be|\s+will\s+be)\s+(?:the\s+|your\s+)?(?:\w+\s+)?(?:price|cost|fee|charge|rate)s?
            | (?:does|do|would|will|did)\s+(?:it|this|that|they|\w+)\s+cost
            | (?:price|cost)\s+(?:of|for)
            | will\s+(?:i|we)\s+be\s+charged)\b";

pub const WHICH: &str = r"(?i)\b(?:which|differen(?:t|ce)|compare[ds]?|versus|vs\.?)\b";

pub const HOW: &str = r"(?i)\b(?:how\s+(?:do|can|could|should|would|to|does)|what\s+(?:can|should|do|could|would)\s+\w+\s+do|what\s+are\s+my\s+options|where\s+(?:can|do|is|are))\b";

pub const WHY: &str = r"(?i)\b(?:why|how\s+come|what\s+happened|what'?s\s+(?:going\s+on|up\s+with|the\s+story|wrong)|what\s+gives|reason)\b";

pub const YES_NO: &str = r"(?ix)(?:^|[,;:.\-]\s*|\b(?:so|and|but|also|btw|hi|hey|hello)\s+)(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|am|may|shall|isn'?t|aren'?t|don'?t|doesn'?t|won'?t|can'?t)\s+\w+";

pub const WH: &str = r"(?i)\b(?:what|who|whom|whose|where|how)\b";

pub const WANTS_TO_KNOW: &str = r"(?i)\b(?:know|ask|understand|learn|find\s+out|tell\s+me|explain)\s+(?:about\s+|more\s+about\s+)?(?:the|your|more|a\s+bit)\b";

pub const GENERIC: &str = r"(?ix)\b(?:dm|direct\s+message|private\s+message|pm|follow\s+(?:us|and)|send\s+us\s+a\s+note|reach\s+(?:out|us)|contact\s+(?:us|our|the|support|customer)|tweet\s+us|get\s+in\s+touch|write\s+to\s+us|call\s+us|sorry|apolog|thanks|thank\s+you|happy\s+to\s+help|here\s+to\s+help|glad\s+to|love\s+to\s+help|assist|take\s+a\s+(?:closer\s+)?look|look\s+into|more\s+(?:info|information|details)|what'?s\s+(?:\w+\s+)?(?:happening|going\s+on)|tell\s+us\s+(?:a\s+bit\s+)?more|let\s+us\s+know\s+what|(?:able|happy|here|glad|love)\s+to\s+help)";

pub const OFFER: &str = r"(?ix)^\W*(?:if\s+you\s+(?:need|want|would\s+like)\b[^.!?]*,\s*)?(?:we'?d|we\s+would|we'?re|we\s+are|i'?d|i\s+would|i'?m|i\s+am)\s+(?:be\s+)?(?:more\s+than\s+)?(?:happy|glad|here|love)\s+to\s+(?:help|assist)(?:\s+(?:you|out))?(?:\s+with\s+(?:that|this|it))?\W*$";

pub const SYMPATHY: &str = r"(?i)^\W*(?:(?:we'?re|we\s+are|i'?m|i\s+am|so|very|really)\s+)*(?:sorry|apolog|thanks|thank\s+you|we\s+understand|i\s+understand|that'?s\s+(?:not\s+good|troubling|frustrating))";

pub const NO_INFO: &str = r"(?ix)\b(?:(?:do\s+not|don'?t|doesn'?t|does\s+not)\s+have\s+(?:that|this|any|the|an?)?\s*(?:information|info|details|eta|update|date)
        | no\s+(?:information|info|update|eta|news|plans?|breaking|commercial|delay)
        | not\s+(?:sure|aware|providing|able\s+to\s+(?:see|share|say))
        | (?:can'?t|cannot)\s+(?:see|say|share|confirm)
        | not\s+at\s+(?:this\s+(?:stage|time)|the\s+moment|present)
        | isn'?t\s+(?:something|supported|available|possible)
        | (?:not|no\s+longer)\s+(?:available|supported|possible|released|planned)
        | there\s+(?:is|are)\s+no\b | i'?m\s+afraid | unfortunately | sadly)";

pub const YES_NO_ANSWER: &str = r"(?ix)(?:^|[,;:]\s+)(?:(?:hi|hello|hey)\b[^.!?,]*[,.!]\s*)?(?:(?:unfortunately|sadly|actually|honestly|well|currently|right\s+now|i'?m\s+afraid)\s*,?\s+)?(?:(?:we|i)\s+(?:can'?t|cannot|are\s+unable|am\s+unable|won'?t\s+be\s+able)|yes|yep|yeah|yup|no|nope|correct|absolutely|definitely|certainly|exactly|of\s+course|sure|indeed|go\s+ahead|(?:i'?m\s+)?afraid\s+not|(?:unfortunately|sadly)\s+not|not\s+(?:yet|really|currently|anymore|any\s+more|for\s+now|right\s+now)|not\s+at|(?:that|it)(?:'s|\s+is)\s+(?:fine|ok|okay|allowed)|that'?s\s+(?:right|correct)|(?:i|we)(?:'ve|\s+have)\s+(?:just\s+|now\s+|already\s+)?\w+ed|it\s+(?:\w+ly\s+)?(?:is|isn'?t|was|will|won'?t|does|doesn'?t|should)|you\s+(?:can|can'?t|cannot|will|won'?t|would|wouldn'?t|should|need|do|don'?t|are|aren'?t|may)|we\s+(?:\w+\s+)?(?:do|don'?t|will|won'?t|aren'?t|are\s+not|still|no\s+longer|can'?t|cannot|can)|there\s+(?:is|are|will|may|might|should)|there(?:'s|\s+is|\s+are)\s+no|it'?s\s+(?:not|free|included|possible)|(?:we|it|you|they)(?:'re|\s+are|'s|\s+is)\s+(?:all\s+)?(?:good|set|fine|ok|okay|open|closed|available|ready|live|back|safe))\b";

pub const TIME: &str = r"(?ix)\b(?:today|tonight|tomorrow|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week|weeks|month|months|year|hours?|minutes?|days?|soon|shortly|asap|later|end\s+of|next\s+(?:release|version|update|few)|january|february|march|april|june|july|august|september|october|november|december|\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d\d|\d{4}|recently|released|until|by\s+the)\b";

pub const NUMBER: &str = r"(?i)\$|€|£|¥|\d|\bfree\b|\bno\s+charge\b|\bcharge\b";

pub const STEPS: &str = r"(?ix)\b(?:go\s+to|click|tap|select|open|navigate|settings|restart\w*|reboot\w*|clear|install\w*|reinstall\w*|updat\w*|connect\w*|file\s+a|fill|submit|visit|check\s+(?:out|the|your)|you\s+can|you'?ll\s+(?:need|have)|you\s+(?:need|have)\s+to|you\s+should|you\s+would|try|steps?|guide|docs|documentation|readme|here:|following\s+link|request)\b";

pub const CAUSE: &str = r"(?ix)\b(?:because|due\s+to|caused|since|as\s+(?:our|the|a)|reason|is\s+(?:an?\s+)?(?:issue|problem|outage)|(?:there\s+)?(?:is|was|are|were|has\s+been)\s+(?:an?\s+)?(?:issue|problem|delay|outage|maintenance|upgrade)|may\s+not\s+have|might|it'?s\s+not\s+on\s+our\s+end|out\s+of\s+our\s+control|is\s+taking\s+place|being)\b";

pub const ASKS_CONTACT: &str = r"(?ix)\b(?:report|contact|reach|complain|complaint|speak\s+(?:to|with)|talk\s+(?:to|with)|get\s+in\s+touch|email\s+address|phone\s+number|escalate)\b";

pub const POINTER: &str = r"(?ix)https?://|www\.|\S@\w|(?:^|\s)@\w|\b(?:dm|direct\s+message|send\s+us|reach\s+(?:out|us)|contact|email|call|tweet)\b";

pub const REDIRECT: &str = r"(?ix)\b(?:our\s+friends\s+(?:at|from|over\s+at)|(?:reach(?:ing)?\s+out|write|talk|speak|head\s+(?:over\s+)?|go)\s+(?:to|with)|contact(?:ing)?|tweet(?:ing)?|dm|ask(?:ing)?|ping|email|message|call)\s+(?:[\w'-]+\s+){0,3}(?:@\w+|https?://|www\.|[\w.+-]+@[\w-]+\.\w)";

pub const DOCS_POINTER: &str = r"(?ix)\b(?:readme|documentation|docs|faq|disclaimer|guide|wiki|code\s+of\s+conduct|terms\s+of\s+(?:service|use)|help\s+(?:article|page|cent(?:er|re)))\b";

pub const IMPLICIT: &str = r"(?ix)
        \b(?:i\s+was|i'?m|i\s+am|just|was)\s+wondering\b
        | \bwondering\s+(?:if|whether|why|how|what|when|where|who|which)\b
        | \b(?:can|could|would|will)\s+(?:you|someone|anyone|somebody)\s+(?:please\s+)?(?:tell|let\s+me\s+know|explain|confirm|advise|clarify|check|help|look|assist|send|share|point)\b
        | \b(?:i'?d|i\s+would|we'?d|we\s+would)\s+(?:like|love)\s+to\s+(?:know|ask|understand|find\s+out|learn|get)\b
        | \b(?:i|we)\s+(?:want|wanted|need|needed)\s+to\s+(?:know|ask|understand|find\s+out)\b
        | \bneed(?:ed)?\s+to\s+know\b
        | \bplease\s+(?:explain|tell|let\s+(?:me|us)\s+know|advise|confirm|clarify|assist|help|check|look)\b
        | \bis\s+there\s+(?:any|a|some)\s+(?:way|chance|option|possibility|plan|eta|update|news)\b
        | \blet\s+(?:me|us)\s+know\s+(?:if|whether|when|how|what|why|where)\b
        | \bany\s+(?:idea|ideas|info|information|update|updates|news|eta|word)\s+(?:on|about|why|when|if|whether|how|what|regarding)\b
        | \bi\s+(?:don'?t|do\s+not|can'?t|cannot)\s+(?:know|understand|figure\s+out|find|tell)\s+(?:why|how|what|whether|if|where|when)\b
        | \b(?:can|may)\s+i\s+(?:know|ask|get|have)\b
        | \bappreciate\s+(?:it\s+)?if\s+you\s+could\b
        | \bany\s+feed\s*back\b
        | \b(?:need|want|needed)\s+(?:an?\s+)?(?:eta|answer|update|explanation)\b
        ";

pub const QUESTION_OPENING: &str = r"(?ix)^(?:(?:hi|hello|hey|so|and|also|but|btw|ok|okay)\W+)*
        (?:(?:how|what|why|when|where|which|who)(?:'s|\s+(?:do|does|did|is|are|was|were|can|could|should|would|will|much|many|long|often))
          | (?:how|what|where|which|who|when)\s+to\s+(?:[\w'\-]+\s+){0,8}[\w'\-]+[\s.!]*$
          | (?:is|are|do|does|did|can|could|will|would|should|has|have)\s+(?:you|i|we|it|there|this|that|the|my|your|our|they)\b)";

pub const RHETORICAL: &str = r"(?ix)
        \bwtf\b | \bwth\b | \bomfg\b | \bwhat\s+the\s+(?:hell|heck|fuck|f)\b
        | \bhow\s+hard\s+(?:can|could|is)\s+it\b
        | \bare\s+you\s+(?:kidding|serious|joking)\b
        | \bis\s+this\s+a\s+joke\b
        | \byou\s+(?:guys\s+)?call\s+this\b
        | \bhow\s+(?:is|was)\s+(?:this|that)\s+(?:ok|okay|acceptable|fair|legal)\b
        | \bhow\s+(?:are|r)\s+(?:you|u|ya)\b | \bhow'?s\s+it\s+going\b | \bhope\s+(?:you|u)\s*(?:'re|\s+are)\s+well\b
        | \bhow\s+do\s+you\s+(?:sleep|justify|live\s+with)\b
        | \bi\s+guess\b.*\bright\W*$
        ";

pub const BARE_EXCLAMATION: &str = r"(?ix)^\W*(?:(?:what|seriously|really|huh|why|excuse\s+me|come\s+on|omg|umm*|uh+|ok|sorry|hello|hi|hey|are\s+you\s+serious|you\s+serious|srsly|no|yes|right)\W*)+$|^\W*(?:[\#@]\w+\W*)+$";

pub const ATTRIBUTION: &str =
    r"(?i)^(?:on\b.{0,200}\bwrote:?\s*$|-{2,}\s*original message\s*-{2,}|from:\s)";

pub const ANNOUNCES: &str = r"(?i)\b(?:want|wanted|like|need)\s+to\s+ask(?:\s+(?:this|you|something|a\s+question))?\s*(?:,|\bbecause\b|\bbecase\b|\bsince\b|$)";

pub const OPENS_CLAUSE: &str = r"(?i)^\W*(?:how|what|why|when|where|which|who|is|are|was|were|do|does|did|can|could|will|would|should|has|have|may|am|any)\b";

/// A yes or no given outright, as its own clause, before whatever the sentence goes on to say:
/// "Yes, please DM us the order number." answers "Is this where I report it?" even though the
/// rest of the sentence is a contact request.
pub const ANSWER_PARTICLE: &str = r"(?ix)^\W*(?:(?:hi|hello|hey)\b[^.!?,]*[,.!]\s*)?(?:(?:unfortunately|sadly|actually|honestly|well)\s*,?\s+)?(?:yes|yep|yeah|yup|no|nope|sure|absolutely|definitely|certainly|of\s+course|correct|indeed|exactly|(?:i'?m\s+)?afraid\s+not|(?:unfortunately|sadly)\s+not|not\s+yet)\s*[,.!:;-]";

/// One sentence answering every question of the message at once: "Yes to both", "Yes and
/// yes", "No to all three", "Both, yes".
pub const ANSWERS_ALL: &str = r"(?ix)^\W*(?:(?:yes|no|yep|nope|sure|correct)\W+(?:to\s+(?:both|all|each)|and\s+(?:yes|no)|on\s+(?:both|all)\s+counts|both)|both\W+(?:yes|no))\b";

pub const GREETING: &str =
    r"(?i)^\W*(?:hi|hello|hey|dear|thanks|thank\s+you|cheers|regards|best|sent\s+from)\b";

pub const WEIGHS: &str = r"(?i)\b(?:which|better|best|prefer(?:s|red)?|differen\w*|compar\w*|vs\.?|versus|choose|pick|recommend\w*|contrast)\b";

/// Every pattern above, for `build.rs`.
pub const ALL: &[&str] = &[
    WHEN,
    HOW_MUCH,
    WHICH,
    HOW,
    WHY,
    YES_NO,
    WH,
    WANTS_TO_KNOW,
    GENERIC,
    OFFER,
    SYMPATHY,
    NO_INFO,
    YES_NO_ANSWER,
    TIME,
    NUMBER,
    STEPS,
    CAUSE,
    ASKS_CONTACT,
    POINTER,
    REDIRECT,
    DOCS_POINTER,
    IMPLICIT,
    QUESTION_OPENING,
    RHETORICAL,
    BARE_EXCLAMATION,
    ATTRIBUTION,
    ANNOUNCES,
    OPENS_CLAUSE,
    GREETING,
    WEIGHS,
    ANSWERS_ALL,
    ANSWER_PARTICLE,
];
