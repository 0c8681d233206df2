"""Use cases, one module per feature: open or receive a session, call storage and the pure leaves, return
plain results. No telegram here: handlers, the CLI, the reminder engine and the tests call them alike."""
