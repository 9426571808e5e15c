//! The fault plan's `echoPassword`: a gateway that writes the request's password into its
//! texts, as sent, upper-cased or cut short — so tests can show that a client scrubs every
//! gateway text it keeps (the removal `message` lands in an audit log that cannot be edited).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::fault_plan::FaultPlan;
use crate::request;

/// How the password is echoed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordEcho {
    /// Exactly as the request sent it.
    AsSent,
    /// Upper-cased.
    Upper,
    /// Its first 10 characters (all of it when shorter).
    Truncated,
}

/// How many characters a `truncated` echo keeps.
const TRUNCATED_CHARS: usize = 10;

impl PasswordEcho {
    fn apply(self, password: &str) -> String {
        match self {
            PasswordEcho::AsSent => password.to_owned(),
            PasswordEcho::Upper => password.to_uppercase(),
            PasswordEcho::Truncated => password.chars().take(TRUNCATED_CHARS).collect(),
        }
    }
}

/// The text to echo for this request, when the plan asks for one and the body has a password.
pub(crate) fn echo_for(body: Option<&Map<String, Value>>, plan: &FaultPlan) -> Option<String> {
    let mode = plan.echo_password?;
    let password = request::requested_password(body?, plan)?;
    Some(mode.apply(&password))
}

/// Appends ` (auth <echo>)` to every text of a JSON answer: a removal `message`, a fault's
/// `detail` (string form) or its `message` and `recomendation` (object form).
pub(crate) fn add_echo(answer: &mut Value, echo: Option<&str>) {
    let Some(echo) = echo else { return };
    let append = |text: &mut Value| {
        if let Value::String(s) = text {
            s.push_str(&format!(" (auth {echo})"));
        }
    };
    if let Some(message) = answer.get_mut("message") {
        append(message);
    }
    if let Some(detail) = answer.get_mut("fault").and_then(|f| f.get_mut("detail")) {
        if detail.is_string() {
            append(detail);
        } else {
            for key in ["message", "recomendation"] {
                if let Some(text) = detail.get_mut(key) {
                    append(text);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn echoes_as_sent_upper_cased_and_cut_short() {
        assert_eq!(
            PasswordEcho::AsSent.apply("Canary-Pw-7Q2x"),
            "Canary-Pw-7Q2x"
        );
        assert_eq!(
            PasswordEcho::Upper.apply("Canary-Pw-7Q2x"),
            "CANARY-PW-7Q2X"
        );
        assert_eq!(
            PasswordEcho::Truncated.apply("Canary-Pw-7Q2x"),
            "Canary-Pw-"
        );
    }

    #[test]
    fn every_text_of_an_answer_gets_the_echo() {
        let mut message = json!({ "message": "Token X is removed" });
        add_echo(&mut message, Some("pw"));
        assert_eq!(message["message"], "Token X is removed (auth pw)");
        let mut fault = json!({ "fault": { "detail": { "message": "m", "recomendation": "r" } } });
        add_echo(&mut fault, Some("pw"));
        assert_eq!(fault["fault"]["detail"]["message"], "m (auth pw)");
        assert_eq!(fault["fault"]["detail"]["recomendation"], "r (auth pw)");
    }
}
