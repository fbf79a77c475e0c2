use candor::judge::features::Place;
use candor::judge::judge_sentence;
#[test]
fn probe() {
    for s in [
        "Your card was charged twice; we apologise for the inconvenience and have refunded the second charge.",
        "The second charge of 40 EUR is refunded to your Visa, and we apologise for the inconvenience caused.",
        "We have refunded the duplicate payment of 86.40 GBP to your account ending 2291 and apologise for the inconvenience.",
        "Sorry for the inconvenience: the second charge of 40 EUR went back to your Visa this morning.",
        "Thank you for your patience while I checked order 4471: it left our Leeds warehouse on Monday.",
        "Thanks for reaching out about the Pro plan: it costs 12 EUR per seat per month.",
    ] {
        for (first, last) in [(true, true)] {
            let p = Place { first, last };
            eprintln!("PROBE first={first} last={last} {:?} {s}", judge_sentence(s, p).0);
        }
    }
}
