"""The Textual wizard: a start screen, the steps with a sidebar, the review, modals.

Imported only when the wizard opens (`aifactory` with no command): the headless commands never
pay for Textual. Everything here is a front end over the core (wizard/): it edits a `Draft`
through `try_set`, shows `Finding`s, and consumes the `iter_preflight` event stream.
"""
