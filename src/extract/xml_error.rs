//! What a malformed XML part is told as, without quoting it. quick-xml's messages quote tag
//! names, entity names and namespace prefixes; in a hostile document those can be anything,
//! the post's PHI included (`&RosalindWhitfield;`, `<w:Rosalind>`), and a message goes to the
//! report, stderr and CI logs unmasked. So the variants that quote are described in words;
//! the others keep quick-xml's message, which names only fixed syntax and byte positions.

use quick_xml::errors::{Error, IllFormedError};
use quick_xml::escape::EscapeError;

/// `e` in words, quoting nothing from the document.
pub fn describe(e: &Error) -> String {
    match e {
        Error::IllFormed(IllFormedError::MissingEndTag(_)) => {
            "ill-formed document: a start tag is not closed before the end of input".into()
        }
        Error::IllFormed(IllFormedError::UnmatchedEndTag(_)) => {
            "ill-formed document: a close tag does not match any open tag".into()
        }
        Error::IllFormed(IllFormedError::MismatchedEndTag { .. }) => {
            "ill-formed document: a close tag does not match the open tag".into()
        }
        Error::IllFormed(IllFormedError::MissingDeclVersion(Some(_))) => {
            "ill-formed document: the XML declaration does not start with `version`".into()
        }
        Error::Escape(e) => describe_escape(e),
        Error::Namespace(_) => "a namespace prefix is unknown or bound wrongly".into(),
        other => other.to_string(),
    }
}

/// An entity error in words, without the entity's name.
pub fn describe_escape(e: &EscapeError) -> String {
    match e {
        EscapeError::UnrecognizedEntity(..) => UNKNOWN_ENTITY.into(),
        other => other.to_string(),
    }
}

/// An entity XML does not define, told without its name.
pub const UNKNOWN_ENTITY: &str = "unknown entity (its name is not shown)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_from_the_document_is_quoted() {
        let name = "Rosalind Whitfield 987-65-4328".to_owned();
        let cases = [
            Error::IllFormed(IllFormedError::MissingEndTag(name.clone())),
            Error::IllFormed(IllFormedError::UnmatchedEndTag(name.clone())),
            Error::IllFormed(IllFormedError::MismatchedEndTag {
                expected: name.clone(),
                found: name.clone(),
            }),
            Error::IllFormed(IllFormedError::MissingDeclVersion(Some(name.clone()))),
            Error::Escape(EscapeError::UnrecognizedEntity(0..3, name.clone())),
            Error::Namespace(quick_xml::name::NamespaceError::UnknownPrefix(
                name.clone().into_bytes(),
            )),
        ];
        for e in cases {
            let said = describe(&e);
            assert!(!said.contains("Rosalind"), "{said}");
            assert!(!said.contains("4328"), "{said}");
        }
        assert_eq!(
            describe(&Error::IllFormed(IllFormedError::DoubleHyphenInComment)),
            "ill-formed document: forbidden string `--` was found in a comment"
        );
    }
}
