"""Staff pages for the core records. Thin: parse, call a service or selector, render."""
