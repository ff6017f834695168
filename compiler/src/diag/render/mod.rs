//! Renderers: human (codespan-reporting), JSON Lines, GitHub workflow commands, SARIF.
