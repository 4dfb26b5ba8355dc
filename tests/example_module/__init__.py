"""A module that lives only in the tests: it proves a module plugs in with no edit elsewhere."""
