"""Test support: databases and (with the playground) the local Bot API harness."""
