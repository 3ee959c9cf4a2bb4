"""Background jobs: find due rows in the tables at now(), act on them, mark them done."""
