"""The kernel every layer shares: clock, i18n, callbacks, errors, deps. No rules."""
